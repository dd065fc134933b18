"""The JSON report against its schema, and every claim against the file it points into.

Every fixture folder under fixtures/ and the shared seed articles (../shared/seeds from the repo
root, when present) are compared; each claim's start/end must slice its text out of the decoded
file, and its line and column must be where that slice begins.
"""
from __future__ import annotations

import bisect
import json
import re
from functools import cache
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from reconcile.cli import main

from conftest import ENCODINGS, FIXTURES, REPO, sample_report, write_encoded

SCHEMA_PATH = REPO / "reconcile" / "data" / "report.schema.json"
SEEDS = (REPO / ".." / "shared" / "seeds").resolve()
LINE_BREAK = re.compile(r"\r\n|\r|\n")  # the breaks segment counts lines by
# Every folder that holds articles (a story tracked over runs keeps one folder per run)
FIXTURE_DIRS = sorted(p for p in FIXTURES.rglob("*") if p.is_dir() and any(f.is_file() for f in p.iterdir()))


@cache
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def validate(report: dict) -> None:
    jsonschema.Draft202012Validator(schema(), format_checker=jsonschema.FormatChecker()).validate(report)


def compare_json(*args) -> dict:
    result = CliRunner().invoke(main, ["compare", *map(str, args), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def decoded(path: str) -> str:
    """The file as the README says it is read: UTF-16 with a BOM, UTF-8 (BOM or not), else Windows-1252."""
    data = Path(path).read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def where(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of `offset`."""
    starts = [0] + [m.end() for m in LINE_BREAK.finditer(text)]
    line = bisect.bisect_right(starts, offset) - 1
    return line + 1, offset - starts[line] + 1


def check_claims(report: dict) -> int:
    """Every claim against its file; the number of claims checked."""
    texts = {s["id"]: decoded(s["path"]) for s in report["sources"] if s["path"] and not s.get("extracted")}
    checked = 0
    for finding in report["findings"]:
        for claim in finding["claims"]:
            if claim["source"] not in texts:
                continue
            text = texts[claim["source"]]
            label = f"{finding['id']} {claim['source']}:{claim['line']}"
            assert 0 <= claim["start"] < claim["end"] <= len(text), label
            assert text[claim["start"]:claim["end"]] == claim["text"], label
            assert claim["text"] == claim["text"].strip(), label
            assert where(text, claim["start"]) == (claim["line"], claim["column"]), label
            for quantity in claim["quantities"]:
                assert quantity["text"] in claim["text"], label
            checked += 1
    return checked


def test_the_schema_is_a_valid_draft_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(schema())


@pytest.mark.parametrize("folder", FIXTURE_DIRS, ids=[str(p.relative_to(FIXTURES)) for p in FIXTURE_DIRS])
@pytest.mark.parametrize("explain", [False, True], ids=["plain", "explain"])
def test_every_fixture_report_validates_and_points_at_its_text(folder, explain):
    report = compare_json(folder, *(["--explain"] if explain else []))
    validate(report)
    files = {str(p) for p in folder.iterdir() if p.suffix in (".txt", ".md")}
    reprinted = {r for group in report.get("reprints", ()) for r in group["reprints"]}  # copies are named by id
    assert {s["path"] for s in report["sources"]} == {f for f in files if Path(f).stem not in reprinted}
    assert reprinted <= {Path(f).stem for f in files}
    assert check_claims(report) > 0


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"no shared seed articles at {SEEDS}")
def test_seed_report_validates_and_points_at_its_text():
    report = compare_json(SEEDS)
    validate(report)
    assert check_claims(report) > 0


def test_summary_counts_the_findings():
    report = compare_json(FIXTURES / "kyiv-drones")
    counts: dict[str, int] = {}
    for finding in report["findings"]:
        counts[finding["verdict"]] = counts.get(finding["verdict"], 0) + 1
    assert {k: v for k, v in report["summary"].items() if v} == counts


def test_the_shared_report_fixture_validates():
    validate(sample_report().to_dict())
    validate(sample_report().to_dict(explain=True))


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
def test_offsets_lines_and_columns_under_other_encodings_and_line_breaks(tmp_path, encoding):
    write_encoded(FIXTURES / "kyiv-drones", tmp_path, encoding)
    report = compare_json(tmp_path)
    validate(report)
    assert check_claims(report) > 0
