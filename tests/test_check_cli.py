"""`reconcile check` through click's CliRunner: every exit status, format and option, the config
file, suppressions, and an end-to-end run of --diff in a real git repository."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from reconcile.cli import main
from reconcile.cli.check import CHECK_FORMAT_NAMES, spread_against

from conftest import FIXTURES, REPO

KYIV = FIXTURES / "kyiv-drones"
WRONG = FIXTURES / "drafts" / "kyiv-drones-wrong.md"
FAITHFUL = FIXTURES / "drafts" / "kyiv-drones-faithful.md"
DONE_LINES = {9, 11}  # the changed toll, and Iran's supplying the drones stated as fact


def run(*args, input=None, env=None):
    return CliRunner().invoke(main, ["check", *map(str, args)], input=input, env=env)


def status(result, expected: int):
    if result.exit_code != expected and result.exc_info and not isinstance(result.exception, SystemExit):
        import traceback

        traceback.print_exception(*result.exc_info)
    assert result.exit_code == expected, (result.exit_code, result.stdout, result.stderr, result.exception)
    return result


@pytest.fixture(autouse=True)
def no_config_around(tmp_path, monkeypatch):
    """Run from an empty folder that is its own project, so that no config file is found by accident."""
    home = tmp_path / "cwd"
    (home / ".git").mkdir(parents=True)
    monkeypatch.chdir(home)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return home


# --- the argument parser ----------------------------------------------------------------------

@pytest.mark.parametrize("args,expected", [
    (["d.md", "--against", "a", "b"], ["d.md", "--against", "a", "--against", "b"]),
    (["d.md", "--against", "a", "-f", "json", "e.md"], ["d.md", "--against", "a", "-f", "json", "e.md"]),
    (["--against", "a", "-", "--", "d.md"], ["--against", "a", "--against", "-", "--", "d.md"]),
    (["d.md", "--against=a", "b.md"], ["d.md", "--against=a", "b.md"]),
    (["d.md", "--against", "--coverage"], ["d.md", "--against", "--coverage"]),
    (["d.md", "--against"], ["d.md", "--against"]),
])
def test_against_takes_every_argument_up_to_the_next_option(args, expected):
    assert spread_against(args) == expected


def test_help_documents_the_command():
    result = status(CliRunner().invoke(main, ["check", "--help"]), 0)
    for option in ("--against", "--fail-on", "--format", "--coverage", "--config", "--baseline", "--write-baseline",
                   "--diff", "--output"):
        assert option in result.stdout
    assert "check" in status(CliRunner().invoke(main, ["--help"]), 0).stdout


def test_the_readme_documents_the_command_and_every_option():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Checking a draft in CI (reconcile check)", 1)[1]
    for option in ("--against", "--fail-on", "--format", "--coverage", "--config", "--baseline", "--write-baseline",
                   "--diff", "--output", "--dates", "--min-confidence"):
        assert option in section, option
    for fmt in CHECK_FORMAT_NAMES:
        assert f"`{fmt}`" in section, fmt


def test_every_format_name_has_a_formatter():
    from reconcile.report.ci import CHECK_FORMATS

    assert set(CHECK_FORMAT_NAMES) == set(CHECK_FORMATS)


# --- exit status ------------------------------------------------------------------------------

def test_a_faithful_draft_exits_0():
    result = status(run(FAITHFUL, "--against", KYIV), 0)
    assert result.stdout.startswith("reconcile check: ")
    assert result.stderr == ""  # the table says it all; stdout only


def test_a_draft_that_contradicts_its_sources_exits_1():
    result = status(run(WRONG, "--against", KYIV, "--format", "json"), 1)
    data = json.loads(result.stdout)
    assert data["check"]["status"] == 1
    assert {f["location"]["line"] for f in data["findings"] if f["severity"] == "error"} >= DONE_LINES
    assert result.stderr.startswith("reconcile: ")  # a one-line count for the log, off stdout


def test_the_wrong_draft_fails_with_exactly_the_two_contradictions():
    data = json.loads(status(run(WRONG, "--against", KYIV, "-f", "json"), 1).stdout)
    errors = sorted((f["location"]["line"], f["verdict"], f["kind"]) for f in data["findings"] if f["severity"] == "error")
    assert errors == [(9, "contradiction", "numeric"), (11, "contradiction", "denial")]


@pytest.mark.parametrize("args,message", [
    ([WRONG], "Missing option '--against'"),
    (["--against", KYIV], "Missing argument 'DRAFT...'"),
    ([WRONG, "--against", KYIV, "--fail-on", "sometimes"], "Invalid value for '--fail-on'"),
    ([WRONG, "--against", KYIV, "--format", "pdf"], "Invalid value for '-f' / '--format'"),
    ([WRONG, "--against"], "'--against' requires an argument"),
])
def test_usage_errors_exit_2(args, message):
    result = status(run(*args), 2)
    assert message in result.stderr


def test_input_errors_exit_2_with_one_line(tmp_path):
    result = status(run(tmp_path / "missing.md", "--against", KYIV), 2)
    assert result.stderr == f"reconcile: error: {tmp_path / 'missing.md'}: no such file or directory\n"
    empty = tmp_path / "empty.md"
    empty.write_text("", encoding="utf-8")
    result = status(run(empty, "--against", KYIV), 2)
    assert result.stderr.startswith("reconcile: error: ") and result.stderr.count("\n") == 1
    result = status(run(WRONG, "--against", tmp_path / "nothing-here"), 2)
    assert "no such file or directory" in result.stderr


def test_a_draft_inside_the_sources_folder_is_not_checked_against_itself(tmp_path):
    folder = tmp_path / "sources"
    shutil.copytree(KYIV, folder)
    shutil.copy(FAITHFUL, folder / "draft.md")
    data = json.loads(status(run(folder / "draft.md", "--against", folder, "-f", "json"), 0).stdout)
    assert [s["id"] for s in data["sources"] if s["role"] == "source"] == ["broadsheet", "cable", "wire"]


# --- --fail-on --------------------------------------------------------------------------------

def test_fail_on_never_exits_0_even_with_contradictions():
    result = status(run(WRONG, "--against", KYIV, "--fail-on", "never", "-f", "json"), 0)
    assert any(f["severity"] == "error" for f in json.loads(result.stdout)["findings"])  # still errors


def test_fail_on_disputed_fails_the_faithful_draft_whose_toll_the_sources_dispute():
    status(run(FAITHFUL, "--against", KYIV), 0)
    data = json.loads(status(run(FAITHFUL, "--against", KYIV, "--fail-on", "disputed", "-f", "json"), 1).stdout)
    assert {f["verdict"] for f in data["findings"] if f["severity"] == "error"} == {"disputed"}


def test_fail_on_unsupported_and_any(tmp_path):
    draft = tmp_path / "draft.md"
    draft.write_text(FAITHFUL.read_text(encoding="utf-8") + "\nPolice arrested 3 men for looting a pharmacy in Kyiv "
                     "on Monday night.\n", encoding="utf-8")
    data = json.loads(status(run(draft, "--against", KYIV, "--fail-on", "unsupported", "-f", "json"), 1).stdout)
    assert [f["verdict"] for f in data["findings"] if f["severity"] == "error"] == ["disputed", "disputed", "unsupported"]
    status(run(draft, "--against", KYIV), 0)
    status(run(draft, "--against", KYIV, "--fail-on", "any"), 1)


# --- every format on the real drafts ------------------------------------------------------------

def error_lines(fmt: str, text: str, path: str) -> set[int]:
    """The draft lines each format marks as errors."""
    if fmt == "json":
        return {f["location"]["line"] for f in json.loads(text)["findings"] if f["severity"] == "error"}
    if fmt == "github":
        return {int(m.group(1)) for m in re.finditer(rf"^::error file={re.escape(path)},line=(\d+),", text, re.M)}
    if fmt == "gitlab":
        return {i["location"]["lines"]["begin"] for i in json.loads(text) if i["severity"] in ("critical", "major")}
    if fmt == "sarif":
        return {r["locations"][0]["physicalLocation"]["region"]["startLine"]
                for r in json.loads(text)["runs"][0]["results"] if r["level"] == "error"}
    if fmt == "junit":
        return {int(c.get("line")) for c in ET.fromstring(text).iter("testcase") if c.find("failure") is not None}
    if fmt == "rdjson":
        return {d["location"]["range"]["start"]["line"] for d in json.loads(text)["diagnostics"]
                if d["severity"] == "ERROR"}
    if fmt == "markdown":
        return {int(row.split("|")[2]) for row in text.splitlines() if row.startswith("| :x: |")}
    if fmt == "html":  # the line of the draft's sentence (each finding's first claim) in the page's data
        data = json.loads(re.search(r'id="report-data">(.*?)</script>', text, re.S).group(1))
        return {data["sources"][f["claims"][0][0]]["marks"][f["claims"][0][1]][2] for f in data["findings"]
                if f["severity"] == "error"}
    return {int(m.group(1)) for m in re.finditer(r"^│ (\d+):\d+ +│ error", text, re.M)}


@pytest.mark.parametrize("fmt", CHECK_FORMAT_NAMES)
def test_every_format_marks_the_two_changed_lines_as_errors(fmt):
    path = os.path.relpath(WRONG).replace(os.sep, "/")
    result = status(run(path, "--against", KYIV, "--format", fmt, "--width", "160"), 1)
    assert error_lines(fmt, result.stdout, path) >= DONE_LINES


@pytest.mark.parametrize("fmt", CHECK_FORMAT_NAMES)
def test_every_format_of_the_faithful_draft_has_no_error(fmt):
    path = os.path.relpath(FAITHFUL).replace(os.sep, "/")
    result = status(run(path, "--against", KYIV, "--format", fmt, "--width", "160"), 0)
    assert error_lines(fmt, result.stdout, path) == set()


def test_the_default_format_is_github_annotations_under_github_actions():
    result = status(run(WRONG, "--against", KYIV, env={"GITHUB_ACTIONS": "true"}), 1)
    assert result.stdout.startswith("::error file=")


def test_the_default_format_elsewhere_is_the_table():
    assert status(run(WRONG, "--against", KYIV), 1).stdout.startswith("reconcile check: ")


def test_output_writes_the_report_to_a_file(tmp_path):
    out = tmp_path / "report.sarif"
    result = status(run(WRONG, "--against", KYIV, "-f", "sarif", "-o", out), 1)
    assert result.stdout == "" and json.loads(out.read_text(encoding="utf-8"))["version"] == "2.1.0"
    status(run(WRONG, "--against", KYIV, "-o", WRONG), 2)  # never over an input


def test_several_drafts_in_one_run(tmp_path):
    data = json.loads(status(run(WRONG, FAITHFUL, "--against", KYIV, "-f", "json"), 1).stdout)
    assert data["check"]["drafts"] == ["kyiv-drones-faithful", "kyiv-drones-wrong"]  # by id, like sources
    errors = {(f["draft"], f["location"]["line"]) for f in data["findings"] if f["severity"] == "error"}
    assert {("kyiv-drones-wrong", line) for line in DONE_LINES} <= errors
    assert not {e for e in errors if e[0] == "kyiv-drones-faithful"}


def test_a_draft_on_standard_input():
    result = status(run("-", "--against", KYIV, "-f", "json", input=WRONG.read_bytes()), 1)
    data = json.loads(result.stdout)
    assert data["findings"][0]["location"]["path"] is None and data["check"]["drafts"] == ["stdin"]


def test_coverage_reports_what_the_sources_agree_on_and_the_draft_leaves_out(tmp_path):
    short = tmp_path / "short.md"
    short.write_text("The death toll in Kyiv rose to 5 by Monday evening, city officials said.\n", encoding="utf-8")
    plain = json.loads(status(run(short, "--against", KYIV, "-f", "json"), 0).stdout)
    assert not [f for f in plain["findings"] if f["verdict"] == "omitted"]
    data = json.loads(status(run(short, "--against", KYIV, "-f", "json", "--coverage"), 0).stdout)
    omitted = [f for f in data["findings"] if f["verdict"] == "omitted"]
    assert omitted and all(f["severity"] == "warning" and f["location"]["line"] == 1 for f in omitted)
    assert any("Geran-2" in c["text"] for f in omitted for c in f["claims"])
    status(run(short, "--against", KYIV, "--coverage", "--fail-on", "any"), 1)


# --- config -----------------------------------------------------------------------------------

def test_the_config_file_sets_fail_on_and_the_command_line_overrides_it(no_config_around):
    (no_config_around / "reconcile.yaml").write_text("fail-on: never\n", encoding="utf-8")
    status(run(WRONG, "--against", KYIV), 0)
    status(run(WRONG, "--against", KYIV, "--fail-on", "contradiction"), 1)


def test_the_config_is_found_from_a_subdirectory_and_in_pyproject(no_config_around):
    (no_config_around / "pyproject.toml").write_text("[tool.reconcile]\nfail-on = 'disputed'\n", encoding="utf-8")
    (no_config_around / "drafts").mkdir()
    os.chdir(no_config_around / "drafts")
    status(run(FAITHFUL, "--against", KYIV), 1)


def test_config_named_with_config_wins(no_config_around, tmp_path):
    (no_config_around / "reconcile.yaml").write_text("fail-on: never\n", encoding="utf-8")
    strict = tmp_path / "strict.yaml"
    strict.write_text("fail-on: disputed\n", encoding="utf-8")
    status(run(FAITHFUL, "--against", KYIV, "--config", strict), 1)


def test_config_ignore_rules_and_source_names(no_config_around):
    (no_config_around / "reconcile.yaml").write_text(
        "sources:\n  broadsheet: {name: Evening Paper}\n"
        "ignore:\n  - verdict: contradiction\n    kind: numeric\n", encoding="utf-8")
    data = json.loads(run(WRONG, "--against", KYIV, "-f", "json").stdout)
    assert not [f for f in data["findings"] if f["kind"] == "numeric" and f["verdict"] == "contradiction"]
    assert any(s["suppressed"] for s in [data["check"]])
    assert {s["id"]: s["name"] for s in data["sources"]}["broadsheet"] == "Evening Paper"


def test_config_thresholds_reach_the_pipeline(no_config_around):
    (no_config_around / "reconcile.yaml").write_text("thresholds: {align-cutoff: 100}\n", encoding="utf-8")
    data = json.loads(run(WRONG, "--against", KYIV, "-f", "json").stdout)  # nothing aligns at 100
    assert not [f for f in data["findings"] if f["verdict"] == "disputed"]


@pytest.mark.parametrize("text,message", [
    ("fail_on: never\n", "reconcile.yaml: fail_on: unknown key (did you mean 'fail-on'?)"),
    ("coverage: 3\n", "reconcile.yaml: coverage: expected true or false, got an integer"),
])
def test_a_bad_config_is_an_error_naming_the_key_and_the_file(no_config_around, text, message):
    (no_config_around / "reconcile.yaml").write_text(text, encoding="utf-8")
    result = status(run(WRONG, "--against", KYIV), 2)
    assert message in result.stderr and result.stderr.count("\n") == 1


def test_a_missing_config_file_named_on_the_command_line(tmp_path):
    result = status(run(WRONG, "--against", KYIV, "--config", tmp_path / "nope.yaml"), 2)
    assert "nope.yaml: config file not found" in result.stderr


# --- suppressions -------------------------------------------------------------------------------

def test_inline_markers_accept_the_two_contradictions(tmp_path):
    text = WRONG.read_text(encoding="utf-8").splitlines(keepends=True)
    text.insert(8, "<!-- reconcile: ignore -->\n")  # before the toll (line 9)
    assert text[11].startswith("Iran supplied")  # now line 12
    text[11] = text[11].rstrip("\n") + " <!-- reconcile: ignore contradiction -->\n"
    draft = tmp_path / "draft.md"
    draft.write_text("".join(text), encoding="utf-8")
    data = json.loads(run(draft, "--against", KYIV, "-f", "json").stdout)
    assert not [f for f in data["findings"] if f["location"]["line"] in (10, 12)]
    assert sorted((s["line"], s["by"]) for s in data["check"]["suppressed"]) == [(10, "inline"), (12, "inline")]


def test_baseline_accepts_what_it_recorded_until_the_text_changes(tmp_path):
    draft = tmp_path / "draft.md"
    shutil.copy(WRONG, draft)
    baseline = tmp_path / "ci" / "baseline.json"
    baseline.parent.mkdir()
    result = status(run(draft, "--against", KYIV, "--write-baseline", baseline), 0)
    assert result.stdout == "" and "recorded" in result.stderr
    entries = json.loads(baseline.read_text(encoding="utf-8"))["findings"]
    assert {e["path"] for e in entries} == {"../draft.md"} and {9, 11} <= {e["line"] for e in entries}
    status(run(draft, "--against", KYIV, "--baseline", baseline), 0)
    draft.write_text(draft.read_text(encoding="utf-8").replace("rose to 11", "rose to 12"), encoding="utf-8")
    data = json.loads(status(run(draft, "--against", KYIV, "--baseline", baseline, "-f", "json"), 1).stdout)
    assert [f["location"]["line"] for f in data["findings"] if f["severity"] == "error"] == [9]


def test_the_config_can_name_the_baseline(no_config_around, tmp_path):
    draft = tmp_path / "draft.md"
    shutil.copy(WRONG, draft)
    status(run(draft, "--against", KYIV, "--write-baseline", no_config_around / "accepted.json"), 0)
    (no_config_around / "reconcile.yaml").write_text("baseline: accepted.json\n", encoding="utf-8")
    status(run(draft, "--against", KYIV), 0)


def test_a_broken_baseline_exits_2(tmp_path):
    bad = tmp_path / "baseline.json"
    bad.write_text("[]", encoding="utf-8")
    assert "not a reconcile baseline" in status(run(WRONG, "--against", KYIV, "--baseline", bad), 2).stderr
    assert "baseline file not found" in status(run(WRONG, "--against", KYIV, "--baseline", tmp_path / "x"), 2).stderr


# --- --diff, in a real git repository ------------------------------------------------------------

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(cwd: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "Desk", "GIT_AUTHOR_EMAIL": "desk@example.org", "GIT_COMMITTER_NAME": "Desk",
           "GIT_COMMITTER_EMAIL": "desk@example.org", "HOME": str(cwd), "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
           "GIT_CONFIG_NOSYSTEM": "1"}
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True, env=env).stdout


@needs_git
def test_diff_reports_only_the_lines_a_pull_request_changed(tmp_path, monkeypatch):
    """A newsroom repository: main holds a draft whose toll (line 9) is already wrong; a branch
    then edits the Iran sentence (line 11). --diff main reports the branch's edit only."""
    repo = tmp_path / "newsroom"
    shutil.copytree(KYIV, repo / "sources")
    (repo / "drafts").mkdir()
    faithful = Path(FAITHFUL).read_text(encoding="utf-8").split("\n")
    wrong = Path(WRONG).read_text(encoding="utf-8").split("\n")
    half = faithful[:8] + wrong[8:9] + faithful[9:]  # only line 9 (the toll) from the wrong draft
    (repo / "drafts" / "kyiv.md").write_text("\n".join(half), encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "Faithful draft")
    git(repo, "checkout", "-q", "-b", "edit")
    shutil.copy(WRONG, repo / "drafts" / "kyiv.md")
    git(repo, "commit", "-q", "-am", "Edit the draft")
    monkeypatch.chdir(repo)

    full = json.loads(status(run("drafts/kyiv.md", "--against", "sources", "-f", "json"), 1).stdout)
    changed = {11}  # what `git diff main` touches
    assert {f["location"]["line"] for f in full["findings"]} - changed  # line 9 is flagged too

    result = status(run("drafts/kyiv.md", "--against", "sources", "-f", "github", "--diff", "main"), 1)
    lines = {int(n) for n in re.findall(r"^::\w+ file=drafts/kyiv\.md,line=(\d+),", result.stdout, re.M)}
    assert lines == changed

    git(repo, "checkout", "-q", "main")  # nothing changed since main: nothing to report
    status(run("drafts/kyiv.md", "--against", "sources", "--diff", "main"), 0)
    git(repo, "checkout", "-q", "edit")
    (repo / "drafts" / "kyiv.md").write_text(FAITHFUL.read_text(encoding="utf-8"), encoding="utf-8")
    status(run("drafts/kyiv.md", "--against", "sources", "--diff", "main"), 0)  # uncommitted fix counts


@needs_git
def test_diff_on_a_new_draft_reports_every_line(tmp_path, monkeypatch):
    repo = tmp_path / "newsroom"
    shutil.copytree(KYIV, repo / "sources")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "Sources")
    shutil.copy(WRONG, repo / "new.md")
    monkeypatch.chdir(repo)
    result = status(run("new.md", "--against", "sources", "-f", "json", "--diff", "main"), 1)
    assert {f["location"]["line"] for f in json.loads(result.stdout)["findings"]} >= DONE_LINES


@needs_git
def test_diff_errors_exit_2(tmp_path, monkeypatch):
    draft = tmp_path / "draft.md"
    shutil.copy(WRONG, draft)
    assert "not inside a git repository" in status(run(draft, "--against", KYIV, "--diff", "main"), 2).stderr
    git(tmp_path, "init", "-q", "-b", "main")
    assert "unknown git revision" in status(run(draft, "--against", KYIV, "--diff", "nope"), 2).stderr
    assert "standard input" in status(run("-", "--against", KYIV, "--diff", "main", input=b"Text."), 2).stderr


# --- the remaining options ------------------------------------------------------------------------

def test_min_confidence_leaves_out_findings_below_it():
    data = json.loads(status(run(WRONG, "--against", KYIV, "-f", "json", "--min-confidence", "1"), 0).stdout)
    assert data["findings"] == []
    status(run(WRONG, "--against", KYIV, "--min-confidence", "2"), 2)


def test_dates_are_parsed_and_a_bad_one_is_a_usage_error():
    data = json.loads(status(run(WRONG, "--against", KYIV, "-f", "json", "--dates", "wire=2022-10-17T08:00Z"), 1).stdout)
    assert {s["id"]: s["date"] for s in data["sources"]}["wire"] == "2022-10-17T08:00:00Z"
    assert "expected SOURCE_ID=DATE" in status(run(WRONG, "--against", KYIV, "--dates", "wire"), 2).stderr


def test_explain_adds_the_rules_and_no_color_keeps_the_table_plain():
    data = json.loads(status(run(WRONG, "--against", KYIV, "-f", "json", "--explain"), 1).stdout)
    assert all(f["explain"]["rules"][0].startswith("check.") for f in data["findings"])
    table = status(run(WRONG, "--against", KYIV, "--explain", "--no-color", "--width", "120"), 1).stdout
    assert "check.contradiction" in table and "\x1b[" not in table


def test_max_bytes_and_duplicate_sources_are_handled_like_compare():
    too_big = status(run(WRONG, "--against", KYIV, "--max-bytes", "100"), 2)
    assert "--max-bytes" in too_big.stderr and len(too_big.stderr.splitlines()) == 1
    twice = status(run(WRONG, "--against", KYIV, Path(KYIV) / "wire.txt", "-f", "json"), 1)
    assert "given 2 times" in twice.stderr


def test_a_draft_line_is_held_only_to_the_facts_it_states(tmp_path):
    """"Russian drones hit Kyiv" says nothing of Iran supplying them: Iran's denial is no
    dispute of it, whatever groups the sentence joined."""
    draft = tmp_path / "draft.md"
    draft.write_text("Russian drones hit Kyiv on Monday.\n", encoding="utf-8")
    result = run(draft, "--against", KYIV, "--format", "json", "--fail-on", "any")
    report = json.loads(result.stdout)
    assert result.exit_code == 0, report["findings"]
    assert report["findings"] == []


def test_a_short_denial_is_held_against_the_line_that_states_what_it_denies(tmp_path):
    """"Teralia repeated its denial" names what it denies only through the sentence before it."""
    lead = "Orvia launched dozens of Teralian-made Skarn drones at Velmar overnight, officials said."
    (tmp_path / "denies.txt").write_text(lead + " Teralia repeated its denial.\n", encoding="utf-8")
    (tmp_path / "tells.txt").write_text(lead + " Velmar shot down most of them.\n", encoding="utf-8")
    draft = tmp_path / "draft.md"
    draft.write_text(lead + "\n", encoding="utf-8")
    report = json.loads(run(draft, "--against", tmp_path / "denies.txt", tmp_path / "tells.txt",
                            "--format", "json").stdout)
    assert [f["kind"] for f in report["findings"]] == ["denial"]


def test_a_draft_that_misspells_a_name_fails_and_says_how_each_source_spells_it(tmp_path):
    draft = tmp_path / "crane.md"
    draft.write_text("A crane collapsed at the Calder Bay container terminal on Monday, injuring two workers.\n\n"
                     "The operator, Tobias Wrenfild, was taken to hospital.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(draft), "--against", str(FIXTURES / "name-spelling"),
                                       "--format", "json"])
    assert result.exit_code == 1, result.output
    found = json.loads(result.stdout)["findings"]
    assert len(found) == 1 and found[0]["verdict"] == "contradiction" and found[0]["location"]["line"] == 3
    assert "the draft has Tobias Wrenfild" in found[0]["summary"]
    assert "wire has Tobias Wrenfield" in found[0]["summary"] and "radio has Tobias Wrenfeld" in found[0]["summary"]


def test_a_draft_that_spells_a_name_as_most_sources_do_is_disputed_not_failed(tmp_path):
    draft = tmp_path / "crane.md"
    draft.write_text("The operator, Tobias Wrenfield, was taken to hospital.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(draft), "--against", str(FIXTURES / "name-spelling"),
                                       "--format", "json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)["findings"]
    assert [f["verdict"] for f in found] == ["disputed"]
    assert "as gazette and wire do, but radio has Tobias Wrenfeld" in found[0]["summary"]
