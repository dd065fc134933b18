"""`reconcile compare DIR -f json -q` with `--jobs 0` (the default) against `--jobs 1`, alternating.

    python benchmarks/jobs.py                        # 1,000 synthetic (500 and 150 words) and real articles, 5 rounds
    python benchmarks/jobs.py --rounds 7 --workloads small
    python benchmarks/jobs.py --busy 2               # the same while two other processes keep two CPUs busy

The machine's speed drifts from minute to minute, so the two settings take turns on each workload,
round after round, and the medians are compared: whatever the machine does, it does to both.
Articles are written to a temporary folder first; nothing of the run is timed but the command.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import workloads  # noqa: E402

WORKLOADS = {
    "synthetic": lambda n: workloads.synthetic(n),  # ~535 words an article
    "small": lambda n: workloads.synthetic(n, words=150),  # ~190 words
    "real": lambda n: workloads.real_bodies(limit=n),  # FNC-1 bodies, ~370 words
}


def wall_seconds(folder: str, jobs: int) -> float:
    command = [sys.executable, "-m", "reconcile", "compare", folder, "-f", "json", "-q", "--jobs", str(jobs)]
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def _spin() -> None:
    while True:
        pass


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workloads", default="synthetic,small,real", help=f"of {', '.join(WORKLOADS)}")
    parser.add_argument("--busy", type=int, default=0, help="processes that keep a CPU busy meanwhile, as a "
                                                            "neighbour on a shared machine would")
    args = parser.parse_args(argv)
    print(f"{os.cpu_count()} CPUs, {args.articles} articles, {args.rounds} rounds, --jobs 0 and 1 in turn, "
          f"{args.busy} busy neighbours")
    neighbours = [multiprocessing.Process(target=_spin, daemon=True) for _ in range(args.busy)]
    for neighbour in neighbours:
        neighbour.start()
    try:
        _compare_settings(args)
    finally:
        for neighbour in neighbours:
            neighbour.terminate()
    return 0


def _compare_settings(args) -> None:
    print("| workload | KB of text | --jobs 0 median (range) s | --jobs 1 median (range) s |")
    print("|---|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.workloads.split(","):
            sources = WORKLOADS[name](args.articles)
            folder = os.path.join(tmp, name)
            workloads.write_dir(sources, folder)
            wall_seconds(folder, 1)  # warm the file cache and the regex cache
            times: dict[int, list[float]] = {0: [], 1: []}
            for n in range(args.rounds):
                for jobs in ((0, 1) if n % 2 == 0 else (1, 0)):
                    times[jobs].append(wall_seconds(folder, jobs))
            size = sum(len(s.text.encode()) for s in sources) // 1000
            cells = [f"{statistics.median(times[j]):.2f} ({min(times[j]):.2f}-{max(times[j]):.2f})" for j in (0, 1)]
            print(f"| {name} | {size:,} | {cells[0]} | {cells[1]} |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
