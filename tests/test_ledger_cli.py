"""track, changes and history through the command line, on the three runs of fixtures/tracked-story."""
from __future__ import annotations

import json
from contextlib import closing
import os
import sqlite3

import pytest
from click.testing import CliRunner

from reconcile.cli import main
from reconcile.ledger import Ledger, snapshot
from reconcile.pipeline import Config, compare_sources, to_sources

from conftest import FIXTURES, GOLDEN, REPO, check_golden

STORY = FIXTURES / "tracked-story"
RUNS = [str(STORY / f"run{n}") for n in (1, 2, 3)]
# What each run changes, as (change, what, detail) rows of `changes`.
EXPECTED = {
    2: [["new source", "herald", "County Herald"],
        ["verdict moved", "death toll", "agreement → contradiction (numeric)"]],
    3: [["edited source", "daily", "text changed"],
        ["verdict moved", "death toll", "contradiction (numeric) → agreement"],
        ["figure changed", "death toll", "daily: 4 → 6"]],
}


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def rows(changes: dict) -> list[list[str]]:
    """The JSON of `changes` as the table's rows, to compare with EXPECTED."""
    out = [["new source", s["id"], s["name"]] for s in changes["sources"]["new"]]
    out += [["gone source", s["id"], s["name"]] for s in changes["sources"]["gone"]]
    out += [["edited source", s["id"], "text changed"] for s in changes["sources"]["edited"]]
    out += [[f"new {f['verdict']}", f["topic"], f["summary"]] for f in changes["findings"]["new"]]
    out += [[f"gone {f['verdict']}", f["topic"], f["summary"]] for f in changes["findings"]["gone"]]
    out += [["verdict moved", m["topic"], f"{m['before']} → {m['after']}"] for m in changes["findings"]["moved"]]
    out += [["figure changed", f["topic"], f"{f['source']}: {f['before']} → {f['after']}"] for f in changes["figures"]]
    return out


@pytest.fixture(scope="module")
def tracked(tmp_path_factory):
    """A ledger with the fixture's three runs, recorded by `reconcile track`, and `changes` after each."""
    path = tmp_path_factory.mktemp("tracked") / "ledger.sqlite3"
    after = {}
    for n, folder in enumerate(RUNS, start=1):
        result = invoke("track", "bridge", folder, "--ledger", path, "-f", "json")
        assert result.exit_code == 0, result.output
        assert f"recorded run {n} of bridge in {path}" in result.stderr
        after[n] = invoke("changes", "bridge", "--ledger", path, "-f", "json")
    return path, after


def test_three_runs_report_exactly_the_expected_changes(tracked):
    _, after = tracked
    first = json.loads(after[1].stdout)
    assert first["before"] is None and [s["id"] for s in first["sources"]["new"]] == ["daily", "wire"]
    assert {f["topic"] for f in first["findings"]["new"]} >= {"death toll"}
    for n in (2, 3):
        assert after[n].exit_code == 0
        assert rows(json.loads(after[n].stdout)) == EXPECTED[n], n


def test_track_prints_the_report_compare_prints(tracked):
    path, _ = tracked
    tracked_json = invoke("track", "other", RUNS[1], "--ledger", path, "-f", "json", "-q")
    assert tracked_json.stdout == invoke("compare", RUNS[1], "-f", "json").stdout
    assert tracked_json.stderr == ""


def test_history_lists_the_runs_with_counts(tracked):
    path, _ = tracked
    result = invoke("history", "bridge", "--ledger", path, "-f", "json")
    runs = json.loads(result.stdout)["runs"]
    assert [(r["run"], r["sources"], r["summary"]["contradiction"]) for r in runs] == [(1, 2, 0), (2, 3, 1), (3, 3, 0)]


@pytest.mark.parametrize(("fail_on", "status"), [((), 0), (("never",), 0), (("contradiction",), 0),
                                                 (("agreement",), 1), (("figure",), 1), (("source",), 1),
                                                 (("update", "figure"), 1), (("update",), 0), (("any",), 1)])
def test_changes_exits_1_when_a_watched_thing_changed(tracked, fail_on, status):
    path, _ = tracked
    args = [a for watch in fail_on for a in ("--fail-on", watch)]
    assert invoke("changes", "bridge", "--ledger", path, *args).exit_code == status


def test_since_compares_with_the_last_run_before_that_time(tmp_path):
    path = str(tmp_path / "l.sqlite3")
    record_runs(path)
    since_second = json.loads(invoke("changes", "bridge", "--ledger", path, "--since", "2022-10-17T08:30Z",
                                     "-f", "json").stdout)
    assert (since_second["before"]["run"], since_second["after"]["run"]) == (2, 3)
    since_first = invoke("changes", "bridge", "--ledger", path, "--since", "2022-10-17T07:00Z", "-f", "json",
                         "--fail-on", "contradiction")
    got = json.loads(since_first.stdout)
    assert got["before"]["run"] == 1 and since_first.exit_code == 0  # the contradiction came and went
    assert rows(got) == [["new source", "herald", "County Herald"], ["edited source", "daily", "text changed"],
                         ["figure changed", "death toll", "daily: 4 → 6"]]
    before_all = json.loads(invoke("changes", "bridge", "--ledger", path, "--since", "2022-10-16", "-f", "json").stdout)
    assert before_all["before"] is None


def record_runs(path: str) -> None:
    """The fixture's three runs, at fixed times (06:00, 08:00, 10:00), with paths relative to the repository."""
    for n in (1, 2, 3):
        cwd = os.getcwd()
        os.chdir(REPO)  # paths as a user in the repository gives them: the JSON of `changes` shows them
        try:
            sources = to_sources([f"fixtures/tracked-story/run{n}"])
        finally:
            os.chdir(cwd)
        config = Config(jobs=1)
        at = f"2022-10-17T{4 + 2 * n:02d}:00:00Z"
        with Ledger(path) as ledger:
            ledger.record(snapshot("bridge", compare_sources(sources, config), sources, config, at=at))


@pytest.mark.parametrize(("command", "fmt", "name"), [
    ("changes", "table", "changes.txt"), ("changes", "json", "changes.json"),
    ("history", "table", "history.txt"), ("history", "json", "history.json")])
def test_golden_renderings(tmp_path, command, fmt, name):
    path = str(tmp_path / "l.sqlite3")
    record_runs(path)
    result = invoke(command, "bridge", "--ledger", path, "-f", fmt, "--width", "100")
    assert result.exit_code == 0, result.output
    check_golden(GOLDEN / "ledger" / name, result.stdout_bytes)


# --- bad input: one line, status 2, nothing changed ------------------------------------------------

@pytest.mark.parametrize("story", ["../etc", "", "a b", "-x", "ü" * 3, "x" * 101])
def test_a_bad_story_name_is_refused(tmp_path, story):
    result = invoke("history", "--ledger", tmp_path / "l.sqlite3", "--", story)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "story name" in result.stderr or "Missing argument" in result.stderr


def test_a_corrupt_ledger_is_refused_and_kept(tmp_path):
    path = tmp_path / "ledger.sqlite3"
    path.write_bytes(b"SQLite format 3\x00" + b"garbage" * 100)
    before = path.read_bytes()
    for args in (["track", "bridge", RUNS[0]], ["changes", "bridge"], ["history", "bridge"]):
        result = invoke(*args, "--ledger", path)
        assert result.exit_code == 2, args
        assert result.stderr.startswith(f"reconcile: error: {path}: ") and result.stderr.count("\n") == 1
        assert "Traceback" not in result.output
    assert path.read_bytes() == before


def test_an_article_given_as_the_ledger_is_not_overwritten(tmp_path):
    article = tmp_path / "wire.md"
    article.write_text("Four people died.\n", encoding="utf-8")
    result = invoke("track", "bridge", RUNS[0], "--ledger", article)
    assert result.exit_code == 2 and "not a reconcile ledger" in result.stderr
    assert article.read_text(encoding="utf-8") == "Four people died.\n"


def test_reading_commands_need_a_ledger_and_a_story(tmp_path):
    missing = tmp_path / "none.sqlite3"
    result = invoke("changes", "bridge", "--ledger", missing)
    assert result.exit_code == 2 and "no ledger here yet" in result.stderr and not missing.exists()
    path = str(tmp_path / "l.sqlite3")
    record_runs(path)
    result = invoke("changes", "flood", "--ledger", path)
    assert result.exit_code == 2 and "no runs of 'flood'" in result.stderr and "stories: bridge" in result.stderr


def test_a_bad_since_is_refused(tmp_path):
    path = str(tmp_path / "l.sqlite3")
    record_runs(path)
    result = invoke("changes", "bridge", "--ledger", path, "--since", "yesterday")
    assert result.exit_code == 2 and "--since yesterday" in result.stderr and result.stderr.count("\n") == 1


def test_a_failed_track_records_nothing(tmp_path):
    path = tmp_path / "l.sqlite3"
    record_runs(str(path))
    result = invoke("track", "bridge", str(STORY / "run1" / "wire.md"), "--ledger", path)  # one source: an error
    assert result.exit_code == 2
    assert len(json.loads(invoke("history", "bridge", "--ledger", path, "-f", "json").stdout)["runs"]) == 3


def test_the_default_ledger_is_what_RECONCILE_LEDGER_names(tmp_path, monkeypatch):
    path = tmp_path / "env.sqlite3"
    monkeypatch.setenv("RECONCILE_LEDGER", str(path))
    assert invoke("track", "bridge", RUNS[0], "-q").exit_code == 0
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("SELECT count(*) FROM runs").fetchone()[0] == 1


def test_without_RECONCILE_LEDGER_the_ledger_is_in_the_user_data_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("RECONCILE_LEDGER")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    from reconcile.ledger import default_path

    assert default_path().startswith(str(tmp_path)) and default_path().endswith("ledger.sqlite3")


def test_the_readme_example_shows_what_the_commands_print(tracked):
    """README.md's three runs of the fixture: the rows of its two `changes` tables are the commands' own."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    example = readme.split("give exactly these changes:", 1)[1].split("```", 2)[1]
    shown = [[line for line in part.splitlines() if line.startswith("│")]
             for part in example.split("$ reconcile history")[0].split("$ reconcile changes bridge")[1:]]
    path, _ = tracked
    assert shown[1] == [line for line in invoke("changes", "bridge", "--ledger", path).stdout.splitlines()
                        if line.startswith("│")]
    assert len(shown[0]) == len(EXPECTED[2]) and all(row[0] in line for row, line in zip(EXPECTED[2], shown[0]))
    assert "$ echo $?\n1\n" in example  # --fail-on figure after the correction


def test_the_same_sources_in_another_order_change_nothing(tmp_path):
    path = tmp_path / "l.sqlite3"
    files = sorted(str(p) for p in (STORY / "run2").iterdir())
    for order in (files, files[::-1]):
        assert invoke("track", "bridge", *order, "--ledger", path, "-q", "-f", "json").exit_code == 0
    result = invoke("changes", "bridge", "--ledger", path, "--fail-on", "any")
    assert result.exit_code == 0 and result.stdout.endswith("no changes\n")


def test_the_command_offers_what_changes_can_watch():
    """cli/ledger.py spells --fail-on's choices out (importing the ledger would slow --help); they must agree."""
    from reconcile.ledger import FAIL_ON

    option = next(p for p in main.commands["changes"].params if p.name == "fail_on")
    assert tuple(option.type.choices) == FAIL_ON


def test_a_track_run_that_fails_leaves_an_older_ledger_unmigrated(tmp_path):
    # The ledger is checked by reading it before the work; it is migrated only when a run is recorded.
    path = tmp_path / "ledger.sqlite3"
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA user_version = 0")
    before = path.read_bytes()
    result = invoke("track", "bridge", str(tmp_path / "missing.md"), "--ledger", path)
    assert result.exit_code == 2
    assert path.read_bytes() == before
    assert not os.path.exists(str(path) + "-wal")
