"""Shared fixtures: one small hand-built Report for every formatter test, and golden files.

Golden files live in tests/golden/. To rewrite them after an intended change, run the tests that
compare them with RECONCILE_UPDATE_GOLDEN=1, e.g.

    RECONCILE_UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q tests/test_golden.py

and review the diff with `git diff tests/golden/` before committing.
"""
from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from reconcile.models import Claim, Finding, Quantity, Report, Sentence, SourceSummary

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"
GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE_GOLDEN = os.environ.get("RECONCILE_UPDATE_GOLDEN") == "1"


def pytest_collection_modifyitems(items):
    """Tests marked leaves_threads run last: a thread left running (Dask's) keeps every later
    test from forking, so the tests of forked workers would only see the fallback."""
    items.sort(key=lambda item: item.get_closest_marker("leaves_threads") is not None)


def pytest_configure(config):
    config.addinivalue_line("markers", "leaves_threads: the test leaves threads running; run it last")


@pytest.fixture(autouse=True, scope="session")
def _own_ledger(tmp_path_factory):
    """Tests never write to the user's ledger in the platform's data folder: a command that falls
    back on the default ledger finds RECONCILE_LEDGER pointing into the tests' own folder."""
    os.environ["RECONCILE_LEDGER"] = str(tmp_path_factory.mktemp("ledger") / "default.sqlite3")


def page_structure(page: str) -> bytes:
    """What a golden file keeps of an HTML report: its data, as indented JSON. The rest of the page
    is the package's template and assets (whose inlining and hashes tests/test_html_report.py
    checks); the page must be exactly that template filled with this data, so a golden page holds
    the data only instead of a copy of the template."""
    import json
    import re

    from reconcile.report.html import page_of

    found = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', page, re.S)
    assert found, "the page has no report data"
    data = json.loads(found.group(1))
    assert page == page_of(data), "the page is not its template filled in"
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def check_golden(path: Path, actual: bytes) -> None:
    """Compare `actual` with the golden file byte for byte, or rewrite it under RECONCILE_UPDATE_GOLDEN=1."""
    if UPDATE_GOLDEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual)
        return
    hint = f"RECONCILE_UPDATE_GOLDEN=1 python -m pytest -q {_test_file_hint(path)}"
    if not path.exists():
        pytest.fail(f"{path.relative_to(REPO)} is missing; create it with: {hint}")
    expected = path.read_bytes()
    if expected != actual:
        diff = difflib.unified_diff(
            expected.decode("utf-8", "replace").splitlines(), actual.decode("utf-8", "replace").splitlines(),
            "golden", "actual", lineterm="", n=1)
        shown = "\n".join(list(diff)[:60])
        pytest.fail(f"{path.relative_to(REPO)} differs from the output (first lines of the diff below); "
                    f"if the change is intended, regenerate with: {hint}\n{shown}", pytrace=False)


def _test_file_hint(path: Path) -> str:
    return "tests/test_report_formats.py" if path.parent.name == "formats" else "tests/test_golden.py"


# --- the same articles in other encodings and with other line breaks ---------------------------

ENCODINGS = {
    "crlf": lambda text: text.replace("\n", "\r\n").encode("utf-8"),
    "cr": lambda text: text.replace("\n", "\r").encode("utf-8"),
    "utf-8-bom": lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
    "utf-16": lambda text: text.encode("utf-16"),
    "cp1252": lambda text: text.encode("cp1252", errors="replace"),
}


def write_encoded(folder: Path, target: Path, encoding: str) -> Path:
    """Copy the UTF-8, LF articles of `folder` into `target`, re-encoded."""
    for path in folder.iterdir():
        (target / path.name).write_bytes(ENCODINGS[encoding](path.read_text(encoding="utf-8")))
    return target


# --- the shared hand-built Report -------------------------------------------------------------

def _quantity(sentence: Sentence, text: str, value: float | None, bound: str = "exact", category: str | None = None,
              low: float | None = None, high: float | None = None, unit: str | None = None) -> Quantity:
    at = sentence.text.index(text)
    return Quantity(text=text, value=value, low=value if low is None and bound == "exact" else low,
                    high=value if high is None and bound == "exact" else high, bound=bound, unit=unit,
                    category=category, counted=None, start=sentence.start + at, end=sentence.start + at + len(text))


def _claim(source: str, index: int, text: str, start: int, line: int, column: int, quantities=(), *,
           polarity: str = "affirmed", modality: str = "asserted", speaker: str | None = None) -> Claim:
    sentence = Sentence(source_id=source, index=index, start=start, end=start + len(text), line=line,
                        column=column, text=text)
    return Claim(id=f"{source}:{index}", source_id=source, sentence=sentence, norm=text.lower(), words=(),
                 names=(), quantities=tuple(_quantity(sentence, *q[:2], **q[2]) for q in quantities),
                 polarity=polarity, modality=modality, speaker=speaker)


LONG = ("Russia's Federal Security Service said last week that it had detained a group of people, among them "
        "several lorry drivers, a freight forwarder and two port workers, on suspicion of helping to plan the "
        "bridge blast, and that 8 of them had been formally arrested.")


def sample_report() -> Report:
    """Three sources (one read from stdin), one finding of every verdict, and text that is hard to render:
    a pipe, rich markup, a CRLF inside a sentence, quotes and commas, non-ASCII, an escape character,
    and a sentence longer than the table shows, with one figure before the cut and one after it."""
    wire_toll = _claim("wire", 2, "Russian drones killed at least 4 people in Kyiv, Ukrainian officials said.", 310, 3,
                       22, [("at least 4", 4.0, {"bound": "at_least", "category": "killed", "low": 4.0})],
                       speaker="Ukrainian officials")
    stdin_toll = _claim("stdin", 1, 'Seven people died | the mayor called it "a massacre [sic]" on Monday.', 58, 2, 1,
                        [("Seven", 7.0, {"category": "killed"})], speaker="the mayor")
    later_toll = _claim("broadsheet", 4, "The death toll in Kyiv rose to 5 on Monday evening,\r\ncity officials said.",
                        1210, 13, 1, [("5", 5.0, {"category": "killed"})], speaker="city officials")
    fact = _claim("stdin", 3, "The drones were Iranian-made Shahed-136s, each costing about \u20ac20,000.", 190, 4, 1,
                  [("about \u20ac20,000", 20000.0, {"bound": "about", "low": 18000.0, "high": 22000.0,
                                                   "unit": "EUR", "category": "money"})])
    hedged = _claim("broadsheet", 6, "The drones, believed to be Iranian-made, are sold as \u2018Geran-2\u2019.", 1502,
                    19, 1, modality="hedged")
    troops_b = _claim("broadsheet", 9, "EU ministers approved training for some 15,000 Ukrainian soldiers [1/2].",
                      1761, 31, 1, [("some 15,000", 15000.0, {"bound": "about", "low": 13500.0, "high": 16500.0,
                                                             "category": "troops"})])
    troops_w = _claim("wire", 9, "The EU will train about 15,000 Ukrainian soldiers, ministers agreed.", 1764, 12, 1,
                      [("about 15,000", 15000.0, {"bound": "about", "low": 13500.0, "high": 16500.0,
                                                 "category": "troops"})])
    arrests = _claim("wire", 11, LONG, 2200, 14, 5, [("several", None, {"bound": "vague"}),
                                                    ("8", 8.0, {"category": "arrested"})],
                     speaker="Russia's Federal Security Service")
    denial = _claim("wire", 12, "Iran denied\x1b[2J supplying the drones, calling the reports \u201cbaseless\u201d.", 2450,
                    15, 1, polarity="denied", speaker="Iran")
    return Report(
        sources=(
            SourceSummary(id="broadsheet", name="The Evening Ledger", path="news/broadsheet.md", sentences=11,
                          claims=9, date="2022-10-17T19:40:00Z"),
            SourceSummary(id="stdin", name="stdin", path=None, sentences=4, claims=3),
            SourceSummary(id="wire", name="wire", path="news/wire.txt", sentences=12, claims=10),
        ),
        findings=(
            Finding(id="c-0a1b2c3d", verdict="contradiction", kind="numeric", topic="deaths",
                    summary="deaths: at least 4 (wire) vs 7 (stdin)", confidence=0.82,
                    claims=(stdin_toll, wire_toll), score=71.5, rules=("judge.numeric", "toll.killed")),
            Finding(id="u-1b2c3d4e", verdict="update", kind="numeric", topic="deaths",
                    summary="deaths: at least 4 (wire) rose to 5 (broadsheet)", confidence=0.7,
                    claims=(later_toll, wire_toll), score=66.0, rules=("judge.update",)),
            Finding(id="d-2c3d4e5f", verdict="difference", kind="hedge", topic="drones [origin]",
                    summary="drones: stated as fact by stdin; hedged in broadsheet", confidence=0.6,
                    claims=(hedged, fact), score=64.25, rules=("judge.hedge-difference", "hedge.believed")),
            Finding(id="a-3d4e5f60", verdict="agreement", kind=None, topic="troops",
                    summary="troops: told by broadsheet, wire [/]", confidence=0.9,
                    claims=(troops_b, troops_w), score=88.0, rules=()),
            Finding(id="u-4e5f6071", verdict="unique", kind=None, topic="arrests",
                    summary="only wire: 8 (arrested)", confidence=0.5, claims=(arrests,), score=0.0),
            Finding(id="u-5f607182", verdict="unique", kind=None, topic="iran",
                    summary="only wire, attributed to Iran", confidence=0.5, claims=(denial,), score=0.0),
        ),
    )


@pytest.fixture
def report() -> Report:
    return sample_report()
