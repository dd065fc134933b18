"""Big inputs: time and peak memory of each stage on one large source, at several sizes.

    python benchmarks/inputs.py                  # 1, 5, 25, 50 MB of text; 0.25, 0.5, 1 MB lines
    python benchmarks/inputs.py --sizes 1 10     # other sizes (MB)

Two shapes: news-like paragraphs (made up here from templates, written for this script), and
one line of words with no punctuation and no line break. Each run is a fresh interpreter, so
peak RSS is that size's own. Times are CPU seconds of the process (time.process_time), so that
other work on the machine does not inflate them. Time per MB that stays flat as the size grows
means linear time.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time

_PLACES = ("Brackenford", "Lower Tarn", "Millbridge", "Hollow End", "Sedgecombe", "Kirkby Moor")
_OFFICIALS = ("the county fire service", "the district council", "police", "the river authority", "a hospital spokeswoman")
_PEOPLE = ("Mara Jensen", "Tom Ashdown", "Priya Nair", "Gil Moreau", "Ada Quist")
_TEMPLATES = (
    "Flood water reached {place} on {day} morning, {official} said.",
    "About {n} homes were evacuated overnight in {place}, according to {official}.",
    "{person}, who has lived in {place} for {m} years, said the water rose faster than in any year before.",
    "At least {k} people were taken to hospital, {official} said, and {j} are still missing.",
    "\"We have never seen anything like it,\" said {person}.",
    "Forecasters expect the river to peak on {day} evening at {h}.{d} metres.",
    "The toll rose to {k} on {day}, {official} said in a statement.",
    "{official} denied that the warning had come too late for {place}.",
)
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
_WORDS = ("river", "water", "mill", "council", "homes", "road", "bridge", "rain", "night", "town", "field", "wall")


def news_text(size: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    parts, total = [], 0
    while total < size:
        paragraph = " ".join(
            rng.choice(_TEMPLATES).format(
                place=rng.choice(_PLACES), official=rng.choice(_OFFICIALS), person=rng.choice(_PEOPLE),
                day=rng.choice(_DAYS), n=rng.randint(5, 400), m=rng.randint(2, 60), k=rng.randint(1, 30),
                j=rng.randint(0, 9), h=rng.randint(2, 6), d=rng.randint(0, 9),
            ) for _ in range(rng.randint(1, 4))
        )
        paragraph = paragraph[0].upper() + paragraph[1:]
        parts.append(paragraph)
        total += len(paragraph) + 2
    return "\n\n".join(parts)[:size] + "\n"


def one_line(size: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    words, total = [], 0
    while total < size:
        word = rng.choice(_WORDS)
        words.append(word)
        total += len(word) + 1
    return " ".join(words)[:size]


class _Times(dict):
    """Stage times, each printed as it is known, so that a run stopped by the memory cap still tells."""

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        print(json.dumps({"stage": key, "seconds": value,
                          "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}), flush=True)


def measure(shape: str, size: int) -> dict:
    """Run ingest -> clean -> segment -> claims on one big source, then align and judge it with a small one."""
    from reconcile.align import AlignOptions, align
    from reconcile.claims import extract_claims
    from reconcile.clean import clean
    from reconcile.ingest import load_sources
    from reconcile.judge import JudgeOptions, judge
    from reconcile.pipeline import claims_of
    from reconcile.segment import segment

    text = news_text(size) if shape == "news" else one_line(size)
    folder = tempfile.mkdtemp(prefix="reconcile-bench-")
    big = os.path.join(folder, "big.txt")
    small = os.path.join(folder, "small.txt")
    with open(big, "w", encoding="utf-8") as stream:
        stream.write(text)
    with open(small, "w", encoding="utf-8") as stream:
        stream.write(news_text(3000, seed=11))
    del text
    times = _Times()
    start = time.process_time()
    source, other = load_sources([big, small])
    times["ingest"] = time.process_time() - start
    start = time.process_time()
    cleaned = clean(source)
    times["clean"] = time.process_time() - start
    start = time.process_time()
    sentences = segment(cleaned)
    times["segment"] = time.process_time() - start
    start = time.process_time()
    claims = extract_claims(source, sentences)
    times["claims"] = time.process_time() - start
    del cleaned, sentences
    start = time.process_time()
    groups = align(claims + claims_of(other), AlignOptions())
    judge(groups, (source, other), JudgeOptions())
    times["align+judge"] = time.process_time() - start
    times["total"] = sum(times.values())
    for path in (big, small):
        os.unlink(path)
    os.rmdir(folder)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"shape": shape, "bytes": size, "seconds": dict(times), "peak_rss_mb": peak_kb / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", nargs="*", type=float, default=[1, 5, 25, 50], help="news text sizes, MB")
    parser.add_argument("--line-sizes", nargs="*", type=float, default=[0.25, 0.5, 1], help="one-line sizes, MB")
    parser.add_argument("--memory-gb", type=float, default=12.0,
                        help="address-space cap per run (default 12): a stage that needs more fails, the rest is shown")
    parser.add_argument("--one", nargs=2, metavar=("SHAPE", "BYTES"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        cap = int(args.memory_gb * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        print(json.dumps(measure(args.one[0], int(args.one[1]))))
        return
    cases = [("line", int(mb * 1e6)) for mb in args.line_sizes] + [("news", int(mb * 1e6)) for mb in args.sizes]
    print(f"{'shape':5} {'MB':>6} {'ingest':>7} {'clean':>7} {'segment':>8} {'claims':>7} {'align+judge':>11} "
          f"{'total':>7} {'s/MB':>6} {'peak MB':>8}")
    for shape, size in cases:
        out = subprocess.run([sys.executable, __file__, "--one", shape, str(size), "--memory-gb", str(args.memory_gb)],
                             capture_output=True, text=True)
        if out.returncode:
            done = [json.loads(line) for line in out.stdout.splitlines() if line.startswith('{"stage"')]
            stages = ", ".join(f"{d['stage']} {d['seconds']:.2f}" for d in done)
            peak = max((d["peak_rss_mb"] for d in done), default=0)
            print(f"{shape:5} {size / 1e6:6.2f} failed after: {stages} (peak {peak:.0f} MB so far): "
                  f"{out.stderr.strip().splitlines()[-1:]}", flush=True)
            continue
        r = json.loads(out.stdout.splitlines()[-1])
        s = r["seconds"]
        print(f"{shape:5} {size / 1e6:6.2f} {s['ingest']:7.2f} {s['clean']:7.2f} {s['segment']:8.2f} "
              f"{s['claims']:7.2f} {s['align+judge']:11.2f} {s['total']:7.2f} {s['total'] / (size / 1e6):6.2f} "
              f"{r['peak_rss_mb']:8.0f}", flush=True)


if __name__ == "__main__":
    main()
