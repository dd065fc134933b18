"""`reconcile batch`: JSON Lines, one report per case, in order; failing cases do not stop the rest."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import reconcile.pipeline
from reconcile.batch import json_line, run_case, run_cases
from reconcile.cli import main
from reconcile.pipeline import compare

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
KYIV, STORM, FIRE = (str(FIXTURES / name) for name in ("kyiv-drones", "coastal-storm", "refinery-fire"))


def _batch(*args):
    return CliRunner().invoke(main, ["batch", *map(str, args)])


def _lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def test_a_case_gives_the_report_compare_gives():
    result = run_case(KYIV)
    assert result["ok"] and result["case"] == KYIV
    assert result["report"] == compare([KYIV]).to_dict()
    assert json.loads(json_line(result)) == result
    assert json_line(result).count("\n") == 1


def test_one_line_per_case_in_the_order_given_and_a_failing_case_does_not_stop_the_others(tmp_path):
    missing = tmp_path / "nothing-here"
    lonely = tmp_path / "lonely"
    lonely.mkdir()
    (lonely / "only.txt").write_text("One article is not a comparison.\n", encoding="utf-8")
    result = _batch(STORM, missing, KYIV, lonely, FIRE)
    assert result.exit_code == 2
    lines = _lines(result.stdout)
    assert [line["case"] for line in lines] == [STORM, str(missing), KYIV, str(lonely), FIRE]
    assert [line["ok"] for line in lines] == [True, False, True, False, True]
    assert "no such file" in lines[1]["error"] and "two sources" in lines[3]["error"]
    assert lines[0]["report"]["schema"] == "reconcile.report/2"
    assert "2 of 5 cases failed" in result.stderr


def test_all_cases_ok_exit_0_and_quiet_prints_nothing_on_stderr(tmp_path):
    result = _batch(KYIV, FIRE, "--quiet")
    assert result.exit_code == 0 and result.stderr == ""
    assert [line["ok"] for line in _lines(result.stdout)] == [True, True]
    failing = _batch(KYIV, tmp_path / "missing", "-q")
    assert failing.exit_code == 2 and failing.stderr == ""


def test_an_unexpected_error_in_one_case_is_reported_in_its_line(monkeypatch):
    real = reconcile.pipeline.compare_sources

    def flaky(sources, config=reconcile.pipeline.Config(), progress=None):
        if any(s.id == "tabloid" for s in sources):
            raise RuntimeError("boom")
        return real(sources, config, progress)

    monkeypatch.setattr(reconcile.pipeline, "compare_sources", flaky)
    results = list(run_cases([FIRE, KYIV]))
    assert results[0] == {"case": FIRE, "ok": False, "error": "internal error: RuntimeError: boom"}
    assert results[1]["ok"]


def test_worker_processes_give_the_same_lines_as_one_process(tmp_path):
    one = _batch(KYIV, STORM, tmp_path / "missing", FIRE)
    two = _batch(KYIV, STORM, tmp_path / "missing", FIRE, "--jobs", "2")
    assert two.exit_code == one.exit_code == 2
    assert two.stdout == one.stdout


def test_a_case_manifest_is_a_case(tmp_path):
    manifest = tmp_path / "case.yaml"
    manifest.write_text(
        "event: Drone strikes on Kyiv\n"
        "sources:\n"
        f"  - path: {FIXTURES / 'kyiv-drones' / 'wire.txt'}\n"
        f"  - path: {FIXTURES / 'kyiv-drones' / 'broadsheet.md'}\n", encoding="utf-8")
    result = _batch(manifest, "--allow-outside")  # the fixtures are outside the manifest's folder
    assert result.exit_code == 0, result.output
    (line,) = _lines(result.stdout)
    assert line["case"] == str(manifest)
    assert line["report"]["event"] == "Drone strikes on Kyiv"
    assert sorted(s["id"] for s in line["report"]["sources"]) == ["broadsheet", "wire"]


def test_output_file_is_written_whole_and_never_inside_a_case(tmp_path):
    target = tmp_path / "reports.jsonl"
    result = _batch(KYIV, FIRE, "-o", target)
    assert result.exit_code == 0 and result.stdout == ""
    assert [line["case"] for line in _lines(target.read_text(encoding="utf-8"))] == [KYIV, FIRE]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".reconcile-")]
    case = tmp_path / "case"
    case.mkdir()
    (case / "a.txt").write_text("A first article about the strike.\n", encoding="utf-8")
    (case / "b.txt").write_text("A second article about the strike.\n", encoding="utf-8")
    refused = _batch(case, "-o", case / "out.jsonl")
    assert refused.exit_code == 2 and "refusing" in refused.stderr
    assert not (case / "out.jsonl").exists()


def test_usage_errors():
    assert _batch().exit_code == 2
    both = _batch(KYIV, "--jobs", "2", "--dask", "tcp://127.0.0.1:1")
    assert both.exit_code == 2 and "--dask" in both.stderr
    assert _batch("-").exit_code == 2


def test_dask_without_the_extra_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    result = _batch(KYIV, "--dask", "tcp://127.0.0.1:1")
    assert result.exit_code == 2
    assert "reconcile[dask]" in result.stderr
    assert result.stdout == ""


@pytest.mark.leaves_threads
def test_batch_on_a_dask_local_cluster(tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        result = _batch(KYIV, tmp_path / "missing", FIRE, "--dask", cluster.scheduler_address)
    assert result.exit_code == 2, result.output
    lines = _lines(result.stdout)
    assert [line["ok"] for line in lines] == [True, False, True]
    local = _batch(KYIV, tmp_path / "missing", FIRE)
    assert result.stdout == local.stdout
