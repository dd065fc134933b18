"""`reconcile compare` end to end through click's CliRunner: formats, --output, errors, colour,
stdin, help and version, and that the order of the sources never changes the report."""
from __future__ import annotations

import csv
import io
import itertools
import json
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconcile import __version__
from reconcile.cli import main

from conftest import ENCODINGS, FIXTURES, REPO, write_encoded

KYIV = FIXTURES / "kyiv-drones"
KYIV_FILES = sorted(str(p) for p in KYIV.iterdir())  # broadsheet.md, cable.txt, wire.txt
ESC = "\x1b"


def run(*args, input=None, env=None):
    # color=True: click must not strip escape sequences, so that a test sees whatever the renderer wrote
    return CliRunner().invoke(main, ["compare", *map(str, args)], input=input, env=env, color=True)


def ok(result):
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def finding_ids(report: dict) -> list[str]:
    return [f["id"] for f in report["findings"]]


def copy_kyiv(tmp_path: Path) -> Path:
    folder = tmp_path / "kyiv"
    shutil.copytree(KYIV, folder)
    return folder


# --- exit status and formats -------------------------------------------------------------------

def test_kyiv_drones_exits_0_with_the_report_on_stdout_only():
    result = ok(run(KYIV))
    assert result.stderr == ""
    assert result.stdout.startswith("reconcile: broadsheet (The Evening Ledger), cable, wire\n")


def test_every_format_parses_and_carries_the_same_findings():
    report = json.loads(ok(run(KYIV, "--format", "json")).stdout)
    ids = finding_ids(report)
    assert ids and len(set(ids)) == len(ids)

    assert finding_ids(yaml.safe_load(ok(run(KYIV, "--format", "yaml")).stdout)) == ids

    rows = list(csv.DictReader(io.StringIO(ok(run(KYIV, "--format", "csv")).stdout, newline="")))
    assert list(dict.fromkeys(row["finding"] for row in rows)) == ids
    assert len(rows) == sum(len(f["claims"]) for f in report["findings"])

    markdown = ok(run(KYIV, "--format", "markdown")).stdout
    rows = [line for line in markdown.splitlines() if line.startswith("| ") and not line.startswith("| verdict")]
    assert [row.split(" | ")[0][2:] for row in rows] == \
        [f["verdict"] + (f" ({f['kind']})" if f["kind"] else "") for f in report["findings"]]

    table = ok(run(KYIV, "--format", "table")).stdout
    lines = table.splitlines()
    verdicts = [lines[n + 1].split("│")[1].strip() for n, line in enumerate(lines) if line.startswith(("┡", "├"))]
    assert verdicts == [f["verdict"] for f in report["findings"]]
    counts = report["summary"]
    assert lines[-1].startswith(f"{counts['contradiction']} contradiction")


def test_format_short_option_and_explain():
    report = json.loads(ok(run(KYIV, "-f", "json", "--explain")).stdout)
    assert all("explain" in f for f in report["findings"])


@pytest.mark.parametrize("fmt", ["table", "json", "yaml", "markdown", "csv"])
def test_output_writes_the_file_and_nothing_on_stdout(tmp_path, fmt):
    target = tmp_path / f"report.{fmt}"
    result = ok(run(KYIV, "--format", fmt, "--output", target))
    assert result.stdout == "" and result.stderr == ""
    assert target.read_text(encoding="utf-8") == ok(run(KYIV, "--format", fmt)).stdout
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary file left behind


def test_output_replaces_an_existing_report(tmp_path):
    target = tmp_path / "report.json"
    target.write_text("old", encoding="utf-8")
    ok(run(KYIV, "-f", "json", "-o", target))
    assert json.loads(target.read_text(encoding="utf-8"))["schema"] == "reconcile.report/2"


def output_naming_an_input(folder: Path):
    """(arguments, the input that --output names)"""
    wire = folder / "wire.txt"
    return {
        "the file": ([folder / "cable.txt", wire, "-o", wire], wire),
        "another spelling": ([folder / "cable.txt", wire, "-o", folder / ".." / folder.name / "wire.txt"], wire),
        "a file of the directory": ([folder, "-o", wire], wire),
        "a link to it": ([folder / "cable.txt", wire, "-o", folder.parent / "link.txt"], wire),
    }


@pytest.mark.parametrize("case", ["the file", "another spelling", "a file of the directory", "a link to it"])
def test_output_naming_an_input_is_refused_and_the_input_is_unchanged(tmp_path, case):
    folder = copy_kyiv(tmp_path)
    (tmp_path / "link.txt").symlink_to(folder / "wire.txt")
    args, victim = output_naming_an_input(folder)[case]
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    result = run(*args, "--format", "json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert "refusing to overwrite" in result.stderr or "input directory" in result.stderr
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert victim.read_bytes() == (KYIV / "wire.txt").read_bytes()


def test_output_in_a_missing_directory_is_a_one_line_error(tmp_path):
    result = run(KYIV, "-o", tmp_path / "nope" / "report.json")
    assert result.exit_code == 2 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and "nope" in result.stderr


@pytest.mark.parametrize("failing", ["tempfile.mkstemp", "os.replace"])
def test_output_that_cannot_be_written_is_a_one_line_error_and_the_old_report_stays(tmp_path, monkeypatch, failing):
    import errno
    import os
    import tempfile

    target = tmp_path / "report.json"
    target.write_text("old", encoding="utf-8")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    module, name = failing.split(".")
    monkeypatch.setattr({"tempfile": tempfile, "os": os}[module], name, full)
    result = run(KYIV, "-f", "json", "-o", target)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == f"reconcile: error: {target}: cannot write the output: No space left on device\n"
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]  # no temporary file left


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_standard_output_that_cannot_be_written_is_a_one_line_error():
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "reconcile", "compare", str(KYIV), "-f", "json"], stdout=full,
                              stderr=subprocess.PIPE, text=True, cwd=REPO, timeout=120)
    assert done.returncode == 2
    assert done.stderr == "reconcile: error: stdout: cannot write the output: No space left on device\n"


# --- input errors: exit 2, one line naming the file, no traceback ------------------------------

BAD_INPUTS = {
    "missing": (None, "no such file"),
    "empty": (b"", "empty"),
    "binary": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n\x00\x00\x01\x02", "binary"),
    "undecodable": (b"\x81\x8d\x8f\x90\x9d" * 20, "decode"),
}


def assert_one_line_error(result, *names):
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("reconcile: error: ")
    for name in names:
        assert name in lines[0]


@pytest.mark.parametrize("kind", sorted(BAD_INPUTS))
def test_bad_input_is_a_one_line_error_naming_the_file(tmp_path, kind):
    data, problem = BAD_INPUTS[kind]
    bad = tmp_path / f"{kind}.txt"
    if data is not None:
        bad.write_bytes(data)
    result = run(KYIV / "wire.txt", bad)
    assert_one_line_error(result, str(bad), problem)


def test_undecodable_bytes_are_not_cp1252_either():
    with pytest.raises(UnicodeDecodeError):
        BAD_INPUTS["undecodable"][0].decode("cp1252")


@pytest.mark.parametrize("args", [["wire.txt"], ["wire.txt", "wire.txt"], ["./wire.txt", "wire.txt"]])
def test_fewer_than_two_sources_is_a_one_line_error(tmp_path, args):
    shutil.copy(KYIV / "wire.txt", tmp_path / "wire.txt")
    result = run(*(tmp_path / a for a in args))
    assert result.exit_code == 2 and result.stdout == ""
    assert "wire.txt" in result.stderr and "at least two sources" in result.stderr
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("reconcile: error: ")]
    assert len(errors) == 1  # a warning that a file was given twice may come first


def test_fewer_than_two_sources_in_a_directory(tmp_path):
    shutil.copy(KYIV / "wire.txt", tmp_path / "wire.txt")
    assert_one_line_error(run(tmp_path), "wire.txt", "at least two sources")


def test_unknown_format_exits_2_naming_the_format():
    result = run(KYIV, "--format", "xml")
    assert result.exit_code == 2 and result.stdout == ""
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if "xml" in line]
    assert len(errors) == 1 and "json" in errors[0]


def test_unknown_format_is_a_one_line_error():
    assert_one_line_error(run(KYIV, "--format", "xml"), "xml")


# --- stdin -------------------------------------------------------------------------------------

def test_dash_reads_standard_input():
    wire = (KYIV / "wire.txt").read_bytes()
    from_stdin = json.loads(ok(run("-", KYIV / "cable.txt", KYIV / "broadsheet.md", "-f", "json", input=wire)).stdout)
    from_file = json.loads(ok(run(*KYIV_FILES, "-f", "json")).stdout)
    assert [s["id"] for s in from_stdin["sources"]] == ["broadsheet", "cable", "stdin"]
    assert from_stdin["sources"][2]["path"] is None
    # the same text read from stdin gives the same verdicts
    assert [(f["verdict"], f["summary"].replace("stdin", "wire")) for f in from_stdin["findings"]] == \
        [(f["verdict"], f["summary"]) for f in from_file["findings"]]
    claim = next(c for f in from_stdin["findings"] for c in f["claims"] if c["source"] == "stdin")
    assert wire.decode("utf-8")[claim["start"]:claim["end"]] == claim["text"]


def test_empty_standard_input_is_a_one_line_error():
    assert_one_line_error(run("-", KYIV / "wire.txt", input=b""), "stdin", "empty")


# --- encodings and line breaks ----------------------------------------------------------------

def what_was_found(report: dict) -> list[tuple]:
    """The findings without ids and offsets, line breaks in the evidence as LF."""
    return [(f["verdict"], f["kind"], f["topic"], f["summary"],
             [(c["source"], c["line"], re.sub(r"\r\n?", "\n", c["text"])) for c in f["claims"]])
            for f in report["findings"]]


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
def test_encodings_and_line_breaks_do_not_change_the_findings(tmp_path, encoding):
    expected = json.loads(ok(run(KYIV, "-f", "json")).stdout)
    report = json.loads(ok(run(write_encoded(KYIV, tmp_path, encoding), "-f", "json")).stdout)
    assert [(s["name"], s["date"]) for s in report["sources"]] == [(s["name"], s["date"]) for s in expected["sources"]]
    assert what_was_found(report) == what_was_found(expected)


# --- colour ------------------------------------------------------------------------------------

def test_no_colour_when_stdout_is_not_a_terminal():
    assert ESC not in ok(run(KYIV, "--width", "100")).stdout


@pytest.mark.parametrize("args,env", [(["--no-color"], {}), ([], {"NO_COLOR": "1"})])
def test_no_color_and_NO_COLOR_give_no_escapes(args, env):
    assert ESC not in ok(run(KYIV, *args, env=env)).stdout


def test_an_escape_character_in_an_article_does_not_reach_the_report(tmp_path):
    (tmp_path / "a.txt").write_text("Police said 12 people were arrested\x1b[2J in Lviv on Monday.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Police said 15 people were arrested in Lviv on Monday.\n", encoding="utf-8")
    ok(run(tmp_path / "a.txt", tmp_path / "b.txt", "-o", tmp_path / "report.txt"))
    assert ESC not in (tmp_path / "report.txt").read_text(encoding="utf-8")
    assert ESC not in ok(run(tmp_path / "a.txt", tmp_path / "b.txt", "-f", "markdown")).stdout


def run_in_terminal(args: list[str], env: dict[str, str]) -> tuple[int, bytes]:
    """Run `python -m reconcile` with stdout on a pseudo-terminal; its exit status and output."""
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    clean_env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE")}
    process = subprocess.Popen([sys.executable, "-m", "reconcile", *args], stdout=slave, stderr=subprocess.PIPE,
                               stdin=subprocess.DEVNULL, cwd=REPO, env={**clean_env, **env})
    os.close(slave)
    chunks = []
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            if not select.select([master], [], [], 1)[0]:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.communicate(timeout=max(1, deadline - time.monotonic()))
    finally:
        os.close(master)
        if process.poll() is None:
            process.kill()
            process.wait()
    return process.returncode, b"".join(chunks)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
@pytest.mark.parametrize("args,env,coloured", [
    ([], {}, True),
    (["--no-color"], {}, False),
    ([], {"NO_COLOR": "1"}, False),
])
def test_colour_on_a_terminal_unless_turned_off(args, env, coloured):
    status, out = run_in_terminal(["compare", "fixtures/kyiv-drones/", "--width", "100", *args], env)
    assert status == 0
    assert (b"\x1b[" in out) == coloured
    assert b"contradiction" in out


# --- help and version --------------------------------------------------------------------------

def test_version():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and result.output == f"reconcile, version {__version__}\n"


def test_python_dash_m_reconcile_version():
    done = subprocess.run([sys.executable, "-m", "reconcile", "--version"], capture_output=True, text=True,
                          cwd=REPO, timeout=60)
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout == f"reconcile, version {__version__}\n"


@pytest.mark.parametrize("args, status", [
    (["check", "fixtures/drafts/kyiv-drones-wrong.md", "--against", "fixtures/kyiv-drones", "-f", "json"], 1),
    (["compare", "fixtures/no-such-case"], 2),
])
def test_the_console_script_keeps_exit_status_and_every_byte(args, status):
    # `run` leaves the process without the interpreter's teardown: what was written must all be
    # flushed first, and the status be the command's.
    done = subprocess.run([sys.executable, "-m", "reconcile", *args], capture_output=True, cwd=REPO, timeout=120)
    assert done.returncode == status, done.stderr
    if status == 1:
        assert done.stdout == CliRunner().invoke(main, args).stdout_bytes
        assert done.stderr.startswith(b"reconcile: ")
    else:
        assert done.stdout == b"" and done.stderr == b"reconcile: error: fixtures/no-such-case: no such file or directory\n"


def test_the_console_script_started_without_stdout_exits_cleanly(monkeypatch):
    import reconcile.cli as cli

    exits: list[int] = []
    monkeypatch.setattr(cli, "main", lambda: None)
    monkeypatch.setattr(cli.os, "_exit", exits.append)
    monkeypatch.setattr(sys, "stdout", None)  # what Python gives a process started with stdout closed
    cli.run()
    assert exits == [0]


def test_the_console_script_reports_a_text_exit_code_as_python_does(monkeypatch, capsys):
    import reconcile.cli as cli

    exits: list[int] = []
    monkeypatch.setattr(cli, "main", lambda: (_ for _ in ()).throw(SystemExit("stopped")))
    monkeypatch.setattr(cli.os, "_exit", exits.append)
    cli.run()
    assert exits == [1] and capsys.readouterr().err == "stopped\n"


@pytest.mark.parametrize("command", [[]] + [[name] for name in sorted(main.commands)])
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_every_command_has_help(command, flag):
    result = CliRunner().invoke(main, [*command, flag])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Usage: ")
    if not command:
        assert all(name in result.output for name in main.commands)


# --- order never matters -----------------------------------------------------------------------

def test_every_order_of_the_sources_gives_the_same_json():
    outputs = {ok(run(*order, "-f", "json")).stdout_bytes for order in itertools.permutations(KYIV_FILES)}
    assert len(outputs) == 1
    assert outputs == {ok(run(KYIV, "-f", "json")).stdout_bytes}  # the directory too


@pytest.mark.parametrize("fmt", ["json", "table", "markdown"])
def test_running_twice_gives_the_same_output(fmt):
    assert ok(run(KYIV, "-f", fmt)).stdout_bytes == ok(run(KYIV, "-f", fmt)).stdout_bytes


def test_the_same_output_under_any_hash_seed(monkeypatch):
    # sets of strings iterate in an order that depends on PYTHONHASHSEED: nothing may depend on it
    monkeypatch.chdir(REPO)
    outputs = {ok(run("fixtures/kyiv-drones/", "-f", "json")).stdout_bytes}
    for seed in ("1", "2"):
        done = subprocess.run([sys.executable, "-m", "reconcile", "compare", "fixtures/kyiv-drones/", "-f", "json"],
                              capture_output=True, cwd=REPO, timeout=120, env={**os.environ, "PYTHONHASHSEED": seed})
        assert done.returncode == 0, done.stderr
        outputs.add(done.stdout)
    assert len(outputs) == 1


PLACES = ["Kyiv", "Lviv", "Odesa", "Kharkiv"]
SPEAKERS = ["Mayor Vitali Klitschko", "Governor Anna Reyes", "police spokesman Tom Hart", "the fire service"]
TEMPLATES = [
    "At least {n} people were killed in {place} on Monday, {speaker} said.",
    "The death toll in {place} rose to {n} on Tuesday evening.",
    "{n} people were injured when drones struck {place}.",
    "Police arrested {n} people in {place} after the blast, {speaker} said.",
    "It was unclear whether there were casualties in {place}.",
    "{speaker} denied that the army had shelled {place}.",
    "About {n},000 homes in {place} were without power, according to {speaker}.",
    "Officials believe {n} people are still missing in {place}.",
    '"We will rebuild {place}," {speaker} said on Wednesday.',
    "The European Union approved {n} million euros in aid for {place}.",
]

sentence = st.builds(lambda t, n, place, speaker: t.format(n=n, place=place, speaker=speaker),
                     st.sampled_from(TEMPLATES), st.integers(1, 60), st.sampled_from(PLACES),
                     st.sampled_from(SPEAKERS))
article = st.lists(sentence, min_size=1, max_size=5).map(lambda lines: "\n".join(lines) + "\n")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles=st.lists(article, min_size=2, max_size=4), data=st.data())
def test_any_articles_in_any_order_give_the_same_json(articles, data):
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for n, text in enumerate(articles):
            path = Path(folder) / f"source{n}.txt"
            path.write_text(text, encoding="utf-8")
            paths.append(str(path))
        order = data.draw(st.permutations(paths))
        first = ok(run(*paths, "-f", "json")).stdout_bytes
        assert ok(run(*order, "-f", "json")).stdout_bytes == first


# Clashing figures are merged across pairs of sources and the one a group reports is chosen by
# what it says, so the names that sort the sources cannot change which claims are cited.
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles=st.lists(article, min_size=2, max_size=4), data=st.data())
def test_renaming_the_sources_changes_only_the_names(articles, data):
    """The ids sort the sources; a different sort order must not change what is found."""
    names = data.draw(st.permutations([f"source{n}" for n in range(len(articles))]))
    assert found_under_names(articles, names) == found_under_names(articles, sorted(names))


def found_under_names(articles: list[str], labels: list[str]) -> list[tuple]:
    """The findings when article n is saved as <labels[n]>.txt, with sources given as article numbers."""
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for label, text in zip(labels, articles):
            (Path(folder) / f"{label}.txt").write_text(text, encoding="utf-8")
            paths.append(str(Path(folder) / f"{label}.txt"))
        # Every copy compared: of two identical articles, the one kept as the wire copy is the first by
        # name, which is a choice of name by design (tests/test_reprints.py holds reprints to order).
        report = json.loads(ok(run(*paths, "-f", "json", "--keep-reprints")).stdout)
    article_of = {label: n for n, label in enumerate(labels)}
    return sorted((f["verdict"], f["kind"] or "", sorted((article_of[c["source"]], c["start"]) for c in f["claims"]))
                  for f in report["findings"])


def test_renaming_a_source_does_not_change_which_claims_a_finding_cites():
    articles = ["At least 1 people were killed in Kyiv on Monday, Mayor Vitali Klitschko said.\n",
                "The death toll in Kyiv rose to 1 on Tuesday evening.\n",
                "Officials said the death toll in Kyiv rose to 1 on Tuesday.\n",
                "The death toll in Kyiv rose to 2 on Tuesday evening.\n"]
    assert found_under_names(articles, ["a", "b", "c", "d"]) == found_under_names(articles, ["a", "z", "c", "d"])


def test_renaming_two_sources_does_not_change_the_verdicts():
    killed = "At least 1 people were killed in Kyiv on Monday, Mayor Vitali Klitschko said.\n"
    articles = [killed, killed + "The death toll in Kyiv rose to 1 on Tuesday evening.\n"]
    assert found_under_names(articles, ["a", "b"]) == found_under_names(articles, ["b", "a"])


def test_config_names_sources_and_bad_keys_are_errors(tmp_path, monkeypatch):
    (tmp_path / "reconcile.yaml").write_text("sources:\n  wire:\n    name: Wire Service\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    report = json.loads(ok(run(KYIV.resolve(), "-f", "json")).stdout)
    assert {s["id"]: s["name"] for s in report["sources"]}["wire"] == "Wire Service"
    bad = tmp_path / "bad.yaml"
    bad.write_text("colour: red\n", encoding="utf-8")
    assert_one_line_error(run(KYIV.resolve(), "--config", bad), "bad.yaml", "colour")


def test_jobs_reads_sources_in_worker_processes_with_the_same_report():
    serial = ok(run(*KYIV_FILES, "-f", "json", "--jobs", "1")).stdout
    assert ok(run(*KYIV_FILES, "-f", "json", "-j", "2")).stdout == serial
    result = run(*KYIV_FILES, "--jobs", "-3")
    assert result.exit_code == 2 and "--jobs" in result.output


def test_a_source_with_two_figures_of_one_category_is_cited_the_same_under_any_names():
    articles = ["The death toll in Kyiv rose to 2 on Tuesday evening.\n",
                "At least 1 people were killed in Kyiv on Monday, Mayor Vitali Klitschko said.\n"
                "The death toll in Kyiv rose to 1 on Tuesday evening.\n",
                "The death toll in Kyiv rose to 1 on Tuesday evening.\n"]
    names = ["source0", "source2", "source1"]
    assert found_under_names(articles, names) == found_under_names(articles, sorted(names))
