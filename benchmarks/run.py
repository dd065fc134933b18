#!/usr/bin/env python3
"""Benchmark reconcile: end to end, stage by stage, against naive all-pairs alignment.

    python benchmarks/run.py                      # N = 10, 100, 1000 synthetic articles + checks
    python benchmarks/run.py --sizes 10,100,1000,10000
    python benchmarks/run.py --real ../shared/eval/fnc1-train/train_bodies.csv --real-limit 1000
    python benchmarks/run.py --real path/to/articles/  # any directory of .txt/.md articles

Each workload runs in a fresh process (so that its peak memory is its own) and prints one row:
articles, sentences, candidate pairs scored, wall time of `reconcile compare` end to end (a
subprocess, start-up included) and of each stage, peak memory (RSS) of both, and the same
claims aligned by naive all-pairs scoring (every sentence against every sentence of the other
sources with rapidfuzz's cdist, the scorers align.score uses, no blocking). Stage and all-pairs
times are CPU seconds of one process (on a shared machine wall time also counts the neighbours);
`compare` is timed both ways, start-up and `check` by wall time. All-pairs runs in
full up to --baseline-max-pairs pairs; above that a slice of rows is timed and scaled up (marked
"~"). "x faster" is all-pairs scoring time over the time of align (block + score + group).

Quality: the kyiv-drones fixture padded with N unrelated real articles must still give the
findings fixtures/kyiv-drones.expected.yaml requires. Start-up and `reconcile check` (a 1,000-word
draft against 50 sources) are timed as well, and the HTML report of 100 synthetic articles opened
in headless Chromium (skipped without /usr/bin/chromium, chromedriver and selenium). Timings are only printed here, never asserted in tests.
A fixed pure-Python reference, timed at the start and at the end, tells how fast the machine was.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import workloads  # noqa: E402

RECONCILE = [sys.executable, "-m", "reconcile"]


# --- one workload, in its own process ----------------------------------------------------------

def _clock() -> float:
    """CPU seconds of this process: on a shared machine, wall time measures the neighbours too."""
    return time.process_time()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run_child(cmd: list[str], stdout=subprocess.DEVNULL) -> tuple[float, float, int, float]:
    """(wall seconds, peak RSS MB, exit status, CPU seconds) of a command, measured with wait4."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode not in (0, 1):
        print(f"  ! {' '.join(cmd[:4])} ... exited {proc.returncode}: {stderr.strip()[-300:]}", file=sys.stderr)
    return wall, usage.ru_maxrss / 1024, proc.returncode, usage.ru_utime + usage.ru_stime


def measure(kind: str, n: int, args) -> dict:
    """Everything about one workload: end to end, per stage, all-pairs baseline."""
    from reconcile.execution import fewer_collections

    t0 = _clock()
    if kind == "synthetic":
        made = workloads.synthetic(n)
    else:
        made = workloads.real_bodies(args.real, n)
    generated = _clock() - t0
    row: dict = {"workload": kind, "articles": len(made), "generate_s": generated}
    row["words_per_article"] = round(sum(len(s.text.split()) for s in made) / max(1, len(made)))
    folder = Path(tempfile.mkdtemp(prefix=f"reconcile-bench-{kind}-{n}-"))
    try:
        workloads.write_dir(made, folder)
        del made
        # 1. End to end: the command a user runs, in its own process.
        if n <= args.e2e_max:
            wall, peak, status, cpu = _run_child(RECONCILE + ["compare", str(folder), "--format", "json", "--quiet"])
            row.update(e2e_s=wall, e2e_cpu_s=cpu, e2e_peak_mb=peak, e2e_status=status)

        # 2. Stage by stage, in this process, with the garbage collector tuned as a run tunes it.
        with fewer_collections():
            times, counts, claims, groups, findings = _stages(folder, args)
        row.update(sentences=len(claims), pairs=counts.get("pairs", 0), findings=len(findings),
                   groups=len(groups), stages=times, stages_peak_mb=_peak_mb())

        # 3. Naive all-pairs alignment of the same claims.
        if not args.no_baseline:
            row.update(_all_pairs(claims, args.baseline_max_pairs))
            align_s = times.get("align", 0.0)
            if align_s > 0:
                row["speedup"] = row["all_pairs_s"] / align_s
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return row


def _stages(folder: Path, args):
    """Each stage on its own, timed (CPU seconds of this process)."""
    import reconcile.align as align_module
    from reconcile.claims import extract_claims
    from reconcile.clean import clean
    from reconcile.ingest import load_sources
    from reconcile.judge import judge
    from reconcile.report import render
    from reconcile.segment import segment

    times: dict[str, float] = {}
    counts: dict[str, int] = {}

    def timed(name, fn):
        def wrapper(*a, **k):
            start = _clock()
            out = fn(*a, **k)
            times[name] = times.get(name, 0.0) + _clock() - start
            if name == "block":
                counts["pairs"] = len(out.pairs)
            return out
        return wrapper

    for name in ("block", "score", "group"):
        setattr(align_module, name, timed(name, getattr(align_module, name)))
    start = _clock()
    sources = load_sources([str(folder)])
    times["ingest"] = _clock() - start
    claims = []
    for source in sources:
        start = _clock()
        cleaned = clean(source)
        times["clean"] = times.get("clean", 0.0) + _clock() - start
        start = _clock()
        sentences = segment(cleaned)
        times["segment"] = times.get("segment", 0.0) + _clock() - start
        start = _clock()
        claims.extend(extract_claims(source, sentences))
        times["claims"] = times.get("claims", 0.0) + _clock() - start
    start = _clock()
    groups = align_module.align(tuple(claims))
    times["align"] = _clock() - start
    findings = ()
    if not args.no_judge:
        start = _clock()
        findings = judge(groups, sources)
        times["judge"] = _clock() - start
        from reconcile.models import Report, SourceSummary

        summaries = tuple(SourceSummary(s.id, s.name, s.path, 0, 0) for s in sources)
        start = _clock()
        render(Report(sources=summaries, findings=findings), "json")
        times["report"] = _clock() - start
    return times, counts, claims, groups, findings


def _all_pairs(claims, max_pairs: int) -> dict:
    """Score every sentence against every sentence of the other sources (rapidfuzz cdist)."""
    import numpy as np
    from rapidfuzz import fuzz, process

    from reconcile.align import AlignOptions, _contexts

    claims = tuple(sorted(claims, key=lambda c: (c.source_id, c.sentence.index)))
    contexts = _contexts(claims)
    texts = [" ".join(c.words + ctx) for c, ctx in zip(claims, contexts)]
    source_of = np.unique([c.source_id for c in claims], return_inverse=True)[1]
    n = len(texts)
    _, per_source = np.unique(source_of, return_counts=True)
    total = int((n * n - int((per_source.astype(np.int64) ** 2).sum())) // 2)  # cross-source pairs
    cutoff = AlignOptions().cutoff
    rows_per_chunk = max(1, min(n, 2_000_000 // max(1, n)))
    budget_rows = n if total <= max_pairs else max(1, int(max_pairs // max(1, n)))
    start = _clock()
    done_rows = accepted = scored = 0
    for lo in range(0, budget_rows, rows_per_chunk):
        hi = min(budget_rows, lo + rows_per_chunk)
        left = texts[lo:hi]
        token_set = process.cdist(left, texts, scorer=fuzz.token_set_ratio, dtype=np.uint8, workers=1)
        token_sort = process.cdist(left, texts, scorer=fuzz.token_sort_ratio, dtype=np.uint8, workers=1)
        combined = 0.45 * token_set + 0.35 * token_sort
        cross = source_of[lo:hi, None] != source_of[None, :]
        accepted += int(((combined >= cutoff - 20) & cross).sum())  # the rare-word bonus is at most 20
        scored += int(cross.sum())
        done_rows = hi
    elapsed = _clock() - start
    full = done_rows >= n
    # Every cross pair was scored twice (a, b) and (b, a): all-pairs alignment needs each once.
    seconds = elapsed / 2 if full else elapsed * total / max(1, scored)
    return {"all_pairs_pairs": total, "all_pairs_s": seconds, "all_pairs_estimated": not full,
            "all_pairs_peak_mb": _peak_mb()}


# --- quality: the fixture padded with unrelated articles -----------------------------------------

def _norm(text: str) -> str:
    quotes = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text or "").translate(quotes).lower()).strip()


def quality(pad: int, args) -> dict:
    """Expected findings of fixtures/kyiv-drones still found with `pad` unrelated real articles."""
    import yaml

    from reconcile.pipeline import compare_sources

    gold = yaml.safe_load((workloads.FIXTURES / "kyiv-drones.expected.yaml").read_text(encoding="utf-8"))
    pool = workloads.real_bodies(args.real, pad) if pad else []
    sources = workloads.padded("kyiv-drones", pad, pool)
    own = {s.id for s in sources[: len(sources) - pad]}
    start = _clock()
    report = compare_sources(tuple(sources)).to_dict()
    seconds = _clock() - start
    files = {Path(p).stem: Path(p).name for p in gold["sources"]}
    found = 0
    for want in gold["findings"]:
        for finding in report["findings"]:
            if finding["verdict"] != want["verdict"]:
                continue
            texts: dict[str, list[str]] = {}
            for claim in finding["claims"]:
                texts.setdefault(files.get(claim["source"], claim["source"]), []).append(_norm(claim["text"]))
            if all(any(_norm(p) in t for p in phrases for t in texts.get(Path(name).name, []))
                   for name, phrases in want["claims"].items()):
                found += 1
                break
    mixed = sum(1 for f in report["findings"]
                if {c["source"] for c in f["claims"]} & own and {c["source"] for c in f["claims"]} - own)
    return {"pad": pad, "found": found, "required": len(gold["findings"]), "mixed_findings": mixed,
            "seconds": seconds}


# --- start-up and check -----------------------------------------------------------------------

def startup() -> dict:
    exe = shutil.which("reconcile", path=os.path.dirname(sys.executable)) or None
    cmd = [exe] if exe else RECONCILE
    out = {}
    for flag in ("--version", "--help"):
        best = min(_run_child(cmd + [flag])[0] for _ in range(5))  # wall time
        out[flag] = best
    return out


def check_draft(args) -> dict | None:
    """`reconcile check` of a ~1,000-word draft against 50 sources (or None without `check`)."""
    probe = subprocess.run(RECONCILE + ["check", "--help"], capture_output=True)
    if probe.returncode != 0:
        return None
    pool = workloads.fixture_sentences()
    folder = Path(tempfile.mkdtemp(prefix="reconcile-bench-check-"))
    try:
        sources = workloads.synthetic(50)
        workloads.write_dir(sources, folder / "sources")
        draft = folder / "draft.md"
        draft.write_text(workloads.synthetic_article(99_999, pool * 2, words=1000), encoding="utf-8")
        words = len(draft.read_text(encoding="utf-8").split())
        best = min(_run_child(RECONCILE + ["check", str(draft), "--against", str(folder / "sources"),
                                           "--format", "json", "--fail-on", "never"])[0] for _ in range(3))
        return {"draft_words": words, "sources": 50, "seconds": best}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --- the HTML report in a browser ----------------------------------------------------------------

def html_page(n: int) -> dict:
    """`compare --format html` of n synthetic articles, then the page opened in headless Chromium:
    when its script has built what shows first, and when the building in slices is done (the
    page's own performance marks, in milliseconds after navigation began). Best of 3."""
    sys.path.insert(0, str(HERE.parent / "tests"))
    import browser

    reason = browser.missing()
    if reason:
        return {"skipped": reason}
    folder = Path(tempfile.mkdtemp(prefix="reconcile-bench-html-"))
    try:
        workloads.write_dir(workloads.synthetic(n), folder / "articles")
        page = folder / "report.html"
        wall, _, status, _ = _run_child(RECONCILE + ["compare", str(folder / "articles"), "--format", "html", "-q",
                                                     "-o", str(page)])
        if status != 0:
            return {"skipped": f"compare exited {status}"}
        out = {"sources": n, "write_s": wall, "page_mb": page.stat().st_size / 2**20, "opens": []}
        b = browser.Browser()
        try:
            for _ in range(3):
                b.driver.get("about:blank")
                start = time.perf_counter()
                b.open(page, wait=30)
                opened = time.perf_counter() - start
                built = b.driver.execute_script("""return new Promise(done => (function poll() {
                    const mark = performance.getEntriesByName('reconcile-complete')[0];
                    if (mark) done(mark.startTime); else setTimeout(poll, 20); })())""")
                timing = b.driver.execute_script("""const n = performance.getEntriesByType('navigation')[0];
                    return {ready: performance.getEntriesByName('reconcile-ready')[0].startTime,
                            load: n.loadEventEnd, findings: document.querySelectorAll('.finding').length}""")
                out["opens"].append({"wall_s": opened, "ready_ms": timing["ready"], "load_ms": timing["load"],
                                     "built_ms": built})
        finally:
            b.quit()
        out["best"] = min(out["opens"], key=lambda o: o["wall_s"])
        return out
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --- driver -------------------------------------------------------------------------------------

def machine() -> str:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        memory = f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB"
    except (ValueError, OSError):
        memory = "?"
    load = " ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return (f"{cpu or platform.machine()}, {os.cpu_count()} cores, {memory}; {platform.system()} "
            f"{platform.release()}; Python {platform.python_version()}; load average at start {load}")


def reference_seconds(rounds: int = 3) -> float:
    """CPU seconds of a fixed piece of pure-Python work (regular expressions, sorting, dicts: what
    reading and aligning spend their time on), best of `rounds`. It does not depend on reconcile's
    code, so two runs whose figures differ by more than it does ran on a machine that changed
    speed (a shared virtual machine does, by up to a third from one minute to the next)."""
    words = [f"w{(i * 7919) % 5003}ed" if i % 3 else f"Name{i % 97}" for i in range(60_000)]
    text = " ".join(words)
    pattern = re.compile(r"\b[A-Z][a-z]+\d*\b|\b\w+ed\b")
    best = float("inf")
    for _ in range(rounds):
        start = _clock()
        counts: dict[str, int] = {}
        for _ in range(2):
            for match in pattern.finditer(text):
                key = match.group()
                counts[key] = counts.get(key, 0) + 1
            sorted(zip(words, range(len(words))), key=lambda pair: (pair[0][::-1], -pair[1]))
        best = min(best, _clock() - start)
    return best


def _child(kind: str, n: int, args) -> dict:
    cmd = [sys.executable, __file__, "--one", f"{kind}:{n}", "--baseline-max-pairs", str(args.baseline_max_pairs),
           "--e2e-max", str(args.e2e_max)]
    if args.real:
        cmd += ["--real", str(args.real)]
    if args.no_baseline:
        cmd.append("--no-baseline")
    if args.no_judge:
        cmd.append("--no-judge")
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"workload {kind}:{n} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _s(x: float) -> str:
    return f"{x:.2f}" if x < 100 else f"{x:.0f}"


def table(rows: list[dict]) -> str:
    stages = ("ingest", "clean", "segment", "claims", "block", "score", "group", "align", "judge", "report")
    head = (["workload", "articles", "words/article", "sentences", "pairs scored", "compare wall s", "compare CPU s",
             "compare peak MB"] + [f"{s} s" for s in stages] + ["stages peak MB", "all-pairs pairs", "all-pairs s",
                                                                  "x faster"])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        st = r["stages"]
        cells = [r["workload"], f"{r['articles']:,}", str(r["words_per_article"]), f"{r['sentences']:,}",
                 f"{r['pairs']:,}", _s(r["e2e_s"]) if "e2e_s" in r else "-",
                 _s(r["e2e_cpu_s"]) if "e2e_cpu_s" in r else "-",
                 f"{r['e2e_peak_mb']:.0f}" if "e2e_s" in r else "-"]
        cells += [_s(st[s]) if s in st else "-" for s in stages]
        cells.append(f"{r['stages_peak_mb']:.0f}")
        if "all_pairs_s" in r:
            mark = "~" if r["all_pairs_estimated"] else ""
            cells += [f"{r['all_pairs_pairs']:,}", mark + _s(r["all_pairs_s"]), f"{mark}{r.get('speedup', 0):.0f}"]
        else:
            cells += ["", "", ""]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,100,1000", help="synthetic article counts, comma-separated")
    parser.add_argument("--real", default=str(workloads.FNC1_BODIES),
                        help="CSV with an articleBody column, or a directory of articles")
    parser.add_argument("--real-limit", default="", help="real-article counts to run, comma-separated (e.g. 1000)")
    parser.add_argument("--quality", default="0,100,1000", help="unrelated articles to pad kyiv-drones with")
    parser.add_argument("--baseline-max-pairs", type=int, default=5_000_000,
                        help="all-pairs is run in full up to this many pairs, else sampled and scaled")
    parser.add_argument("--no-baseline", action="store_true", help="skip the all-pairs baseline")
    parser.add_argument("--no-judge", action="store_true", help="stop the stage run after align (judge and report skipped)")
    parser.add_argument("--e2e-max", type=int, default=1_000_000,
                        help="run `reconcile compare` end to end only up to this many articles (stages always run)")
    parser.add_argument("--skip", default="", help="comma-separated: startup, check, quality, html")
    parser.add_argument("--html-sources", type=int, default=100,
                        help="synthetic articles in the HTML report opened in headless Chromium")
    parser.add_argument("--json", metavar="FILE", help="also write the raw figures as JSON")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        kind, n = args.one.split(":")
        print(json.dumps(measure(kind, int(n), args)))
        return 0
    skip = set(filter(None, args.skip.split(",")))
    print(f"machine: {machine()}", flush=True)
    speed = [reference_seconds()]
    rows = []
    for n in [int(x) for x in args.sizes.split(",") if x]:
        print(f"synthetic, {n} articles ...", file=sys.stderr, flush=True)
        rows.append(_child("synthetic", n, args))
    for n in [int(x) for x in args.real_limit.split(",") if x]:
        if not Path(args.real).exists():
            print(f"no real articles at {args.real}: skipped", file=sys.stderr)
            break
        print(f"real, {n} articles ...", file=sys.stderr, flush=True)
        rows.append(_child("real", n, args))
    print()
    print(table(rows))
    extra: dict = {"rows": rows}
    if "startup" not in skip:
        extra["startup"] = startup()
        print("\nstart-up: " + ", ".join(f"reconcile {k} {v:.3f} s" for k, v in extra["startup"].items()))
    if "check" not in skip:
        extra["check"] = check_draft(args)
        c = extra["check"]
        print("check: " + (f"a {c['draft_words']}-word draft against {c['sources']} sources: {c['seconds']:.2f} s"
                           if c else "no `reconcile check` command in this tree"))
    if "html" not in skip:
        extra["html"] = h = html_page(args.html_sources)
        if "skipped" in h:
            print(f"html: skipped ({h['skipped']})")
        else:
            best = h["best"]
            print(f"html: {h['sources']} synthetic sources, a {h['page_mb']:.2f} MB page written in {h['write_s']:.2f} s; "
                  f"in headless Chromium (best of {len(h['opens'])}) ready {best['ready_ms']:.0f} ms after navigation, "
                  f"load event {best['load_ms']:.0f} ms, every row and column built {best['built_ms']:.0f} ms, "
                  f"driver.get {best['wall_s']:.2f} s")
    if "quality" not in skip and Path(args.real).exists():
        print("\nquality: fixtures/kyiv-drones padded with unrelated real articles")
        extra["quality"] = []
        for pad in [int(x) for x in args.quality.split(",") if x]:
            q = quality(pad, args)
            extra["quality"].append(q)
            print(f"  +{pad:>5} articles: {q['found']}/{q['required']} expected findings found, "
                  f"{q['mixed_findings']} findings mix fixture and padding claims, {q['seconds']:.2f} s")
    speed.append(reference_seconds())
    extra["reference_s"] = {"start": speed[0], "end": speed[1]}
    print(f"\nmachine speed: a fixed pure-Python reference took {speed[0]:.3f} s of CPU at the start and "
          f"{speed[1]:.3f} s at the end (larger is slower: compare runs by it)")
    if args.json:
        Path(args.json).write_text(json.dumps(extra, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
