"""Golden report: `reconcile compare fixtures/kyiv-drones/ --format json`, run from the repo root,
must equal tests/golden/kyiv-drones.json byte for byte.

When the judgments change on purpose, regenerate the golden file with this one line (from the repo
root), then review `git diff tests/golden/` and commit it with the change:

    RECONCILE_UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q tests/test_golden.py

(RECONCILE_UPDATE_GOLDEN=1 makes every golden test rewrite its file instead of comparing; the
formatter goldens in tests/golden/formats/ are rewritten by tests/test_report_formats.py.)
"""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from reconcile.cli import main

from conftest import GOLDEN, REPO, check_golden

CASES = ["kyiv-drones"]  # fixtures/<case>/ -> tests/golden/<case>.json


@pytest.mark.parametrize("case", CASES)
def test_json_report_matches_the_golden_file(case, monkeypatch):
    monkeypatch.chdir(REPO)  # paths in the report are relative, as when the CLI is run from the repo root
    result = CliRunner().invoke(main, ["compare", f"fixtures/{case}/", "--format", "json"])
    assert result.exit_code == 0, result.output
    check_golden(GOLDEN / f"{case}.json", result.stdout_bytes)


@pytest.mark.parametrize("case", CASES)
def test_golden_file_is_a_report_on_the_fixture_files(case):
    report = json.loads((GOLDEN / f"{case}.json").read_text(encoding="utf-8"))
    assert report["schema"] == "reconcile.report/2"
    assert sorted(s["path"] for s in report["sources"]) == \
        sorted(f"fixtures/{case}/{p.name}" for p in (REPO / "fixtures" / case).iterdir())
