"""The benchmark script runs (its figures are measured by running it, never asserted here)."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_benchmark_runs_a_small_workload_and_reports_the_machine_speed(tmp_path):
    out = tmp_path / "bench.json"
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--sizes", "10", "--no-baseline",
                           "--skip", "startup,check,quality,html", "--json", str(out)],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "| synthetic | 10 |" in done.stdout
    assert "machine speed: a fixed pure-Python reference took" in done.stdout
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["rows"][0]["articles"] == 10 and figures["rows"][0]["pairs"] > 0
    assert 0 < figures["reference_s"]["start"] and 0 < figures["reference_s"]["end"]


def test_the_jobs_benchmark_runs_both_settings(tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "jobs.py"), "--articles", "3", "--rounds", "1",
                           "--workloads", "small"], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "| small |" in done.stdout and "--jobs 0 median" in done.stdout


def test_the_benchmark_opens_the_html_report_in_a_browser_or_says_why_not(tmp_path):
    out = tmp_path / "bench.json"
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--sizes", "", "--skip",
                           "startup,check,quality", "--html-sources", "4", "--json", str(out)],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    html = json.loads(out.read_text(encoding="utf-8"))["html"]
    if "skipped" in html:
        assert "html: skipped (" in done.stdout
    else:
        assert "html: 4 synthetic sources" in done.stdout and len(html["opens"]) == 3
        assert all(o["ready_ms"] > 0 and o["built_ms"] >= 0 for o in html["opens"])
