"""Bad input on the command line: one line on stderr, `reconcile: error: <file>: <problem>`, exit 2,
nothing lost. Warnings go to stderr too; stdout carries only the report."""
import io
import json
import os
import zipfile

import pytest
from click.testing import CliRunner

import reconcile.cli as cli
from reconcile.cli import main

A = "Flood water reached the old mill on Tuesday, the fire service said.\nAbout 40 homes were evacuated.\n"
B = "Flood water reached the old mill on Tuesday, officials said.\nAbout 45 homes were evacuated.\n"


def run(*args, input=None):
    return CliRunner().invoke(main, ["compare", *args], input=input)


def pair(tmp_path):
    (tmp_path / "a.txt").write_text(A, encoding="utf-8")
    (tmp_path / "b.txt").write_text(B, encoding="utf-8")
    return str(tmp_path / "a.txt"), str(tmp_path / "b.txt")


def assert_one_line_error(result, where, problem):
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"reconcile: error: {where}: ") and problem in lines[0], lines[0]


def zip_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "text")
    return buffer.getvalue()


def test_missing_path(tmp_path):
    a, _ = pair(tmp_path)
    missing = str(tmp_path / "nope.txt")
    assert_one_line_error(run(a, missing), missing, "no such file or directory")


def test_directory_with_no_supported_files(tmp_path):
    a, _ = pair(tmp_path)
    folder = tmp_path / "pics"
    folder.mkdir()
    (folder / "photo.png").write_bytes(b"\x89PNG")
    (folder / "case.yaml").write_text("sources: []\n", encoding="utf-8")
    assert_one_line_error(run(a, str(folder)), str(folder), "directory has no supported files")


@pytest.mark.parametrize("content,problem", [
    (b"", "file is empty"),
    (b" \n\t\r\n  ", "file is empty"),
    ("\u3000\u00a0\n".encode("utf-8"), "file has only whitespace"),
    (b"\xff\xfe" + " \n".encode("utf-16-le"), "file has only whitespace"),
    (b"---\ntitle: Only a title\n---\n\n", "has front matter but no text"),
])
def test_empty_or_whitespace_only_file(tmp_path, content, problem):
    a, _ = pair(tmp_path)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(content)
    assert_one_line_error(run(a, str(empty)), str(empty), problem)


@pytest.mark.parametrize("name,content", [
    ("report.pdf.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"),
    ("chart.png.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)),
    ("bundle.txt", zip_bytes()),
    ("random.txt", bytes(range(1, 32)) * 40),
])
def test_binary_file(tmp_path, name, content):
    a, _ = pair(tmp_path)
    binary = tmp_path / name
    binary.write_bytes(content)
    assert_one_line_error(run(a, str(binary)), str(binary), "looks like a binary file")


def test_binary_files_given_by_their_own_names(tmp_path):
    a, _ = pair(tmp_path)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.7\n")
    assert_one_line_error(run(a, str(pdf)), str(pdf), "looks like a binary file")


def test_undecodable_bytes(tmp_path):
    a, _ = pair(tmp_path)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"The mill \x81\x8d flooded on Tuesday.\n")
    assert_one_line_error(run(a, str(bad)), str(bad), "cannot decode")


def test_manifest_with_invalid_yaml_names_the_line(tmp_path):
    pair(tmp_path)
    case = tmp_path / "case.yaml"
    case.write_text("event: Mill flood\nsources:\n  - path: a.txt\n   - path: b.txt\n", encoding="utf-8")
    assert_one_line_error(run(str(case)), str(case), "invalid YAML at line 4")


def test_manifest_with_unknown_keys(tmp_path):
    pair(tmp_path)
    case = tmp_path / "case.yaml"
    case.write_text("event: Mill flood\nsources:\n  - path: a.txt\n    outlet: A\n    wieght: 2\n  - path: b.txt\n",
                    encoding="utf-8")
    assert_one_line_error(run(str(case)), str(case), "line 5: unknown source key 'wieght'")


def test_source_given_twice_is_reported_once_with_a_warning(tmp_path):
    a, b = pair(tmp_path)
    result = run(a, b, str(tmp_path), "-f", "json")
    assert result.exit_code == 0, result.output
    assert [s["id"] for s in json.loads(result.stdout)["sources"]] == ["a", "b"]
    assert result.stderr.splitlines() == [f"reconcile: warning: {a}: given 2 times; read once",
                                          f"reconcile: warning: {b}: given 2 times; read once"]


def test_same_file_by_two_names_is_read_once(tmp_path, monkeypatch):
    pair(tmp_path)
    (tmp_path / "alias.txt").symlink_to(tmp_path / "a.txt")
    monkeypatch.chdir(tmp_path)
    result = run("a.txt", "./a.txt", "alias.txt", "b.txt", "-f", "json")
    assert result.exit_code == 0, result.output
    assert [s["id"] for s in json.loads(result.stdout)["sources"]] == ["a", "b"]
    assert result.stderr == "reconcile: warning: ./a.txt: given 3 times (also as a.txt, alias.txt); read once\n"


def test_unreadable_file(tmp_path, monkeypatch):
    a, _ = pair(tmp_path)
    locked = tmp_path / "locked.txt"
    locked.write_text(A, encoding="utf-8")
    locked.chmod(0)
    if os.geteuid() == 0:  # root reads anything: make open() say what it says to everyone else
        import builtins

        import reconcile.ingest as ingest

        real_open = builtins.open

        def refusing_open(file, *args, **kwargs):
            if str(file) == str(locked):
                raise PermissionError(13, "Permission denied", str(file))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr(ingest, "open", refusing_open, raising=False)
    try:
        assert_one_line_error(run(a, str(locked)), str(locked), "permission denied")
    finally:
        locked.chmod(0o644)


def test_symlink_loop_inside_a_directory(tmp_path):
    folder = tmp_path / "case"
    folder.mkdir()
    pair(folder)
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "sub").symlink_to(folder, target_is_directory=True)  # a directory loop is not entered
    assert_one_line_error(run(str(folder)), str(folder / "loop.txt"), "symbolic link loop")


def test_directory_link_loop_alone_is_harmless(tmp_path):
    folder = tmp_path / "case"
    folder.mkdir()
    pair(folder)
    (folder / "again").symlink_to(folder, target_is_directory=True)
    (folder / "again.txt").symlink_to(folder, target_is_directory=True)
    result = run(str(folder), "-f", "json")
    assert result.exit_code == 0, result.output
    assert [s["id"] for s in json.loads(result.stdout)["sources"]] == ["a", "b"]


def test_output_naming_an_input_is_refused(tmp_path):
    a, b = pair(tmp_path)
    before = (tmp_path / "b.txt").read_bytes()
    assert_one_line_error(run(a, b, "-o", b), b, "--output names one of the inputs")
    assert (tmp_path / "b.txt").read_bytes() == before


def test_output_naming_a_file_of_a_manifest_is_refused(tmp_path):
    _, b = pair(tmp_path)
    case = tmp_path / "case.yaml"
    case.write_text("sources: [a.txt, b.txt]\n", encoding="utf-8")
    before = (tmp_path / "a.txt").read_bytes()
    assert_one_line_error(run(str(case), "-o", str(tmp_path / "a.txt")), str(tmp_path / "a.txt"), "names one of the inputs")
    assert (tmp_path / "a.txt").read_bytes() == before
    assert_one_line_error(run(str(case), "-o", str(case)), str(case), "names one of the inputs")


def test_output_into_an_input_directory_with_a_supported_suffix_is_refused(tmp_path):
    pair(tmp_path)
    target = tmp_path / "report.json"
    assert_one_line_error(run(str(tmp_path), "-f", "json", "-o", str(target)), str(target), "input directory")
    assert not target.exists()


def test_interrupted_run_exits_130_and_leaves_no_output_file(tmp_path, monkeypatch):
    a, b = pair(tmp_path)
    out = tmp_path / "out" / "report.json"
    out.parent.mkdir()
    out.write_text("the previous report\n", encoding="utf-8")
    real_fdopen = os.fdopen

    class Interrupting:
        def __init__(self, stream):
            self.stream = stream

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.stream.close()

        def close(self):
            self.stream.close()

        def write(self, text):
            self.stream.write(text[: len(text) // 2])  # half the report is on disk, then Ctrl-C
            self.stream.flush()
            raise KeyboardInterrupt

    monkeypatch.setattr(cli.os, "fdopen", lambda *a, **k: Interrupting(real_fdopen(*a, **k)))
    result = run(a, b, "-f", "json", "-o", str(out))
    assert result.exit_code == 130
    assert "interrupted" in result.stderr
    assert out.read_text(encoding="utf-8") == "the previous report\n"
    assert os.listdir(out.parent) == ["report.json"]  # no temporary file left behind


def test_interrupt_while_reading_exits_130(tmp_path, monkeypatch):
    a, b = pair(tmp_path)
    import reconcile.ingest as ingest

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(ingest, "decode", interrupted)
    out = tmp_path / "report.json"
    result = run(a, b, "-o", str(out))
    assert result.exit_code == 130 and not out.exists()


def test_output_is_written_whole(tmp_path):
    a, b = pair(tmp_path)
    out = tmp_path / "out.json"
    result = run(a, b, "-f", "json", "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["schema"] == "reconcile.report/2"


def test_max_bytes_refuses_bigger_inputs(tmp_path):
    a, b = pair(tmp_path)
    assert_one_line_error(run(a, b, "--max-bytes", "80"), a, "over the limit of 80 bytes (--max-bytes)")
    assert run(a, b, "--max-bytes", "1KB").exit_code == 0
    result = run(a, b, "--max-bytes", "lots")
    assert result.exit_code == 2 and "expected a size" in result.stderr


def test_max_bytes_applies_to_stdin(tmp_path):
    a, _ = pair(tmp_path)
    result = run(a, "-", "--max-bytes", "50", input=B * 10)
    assert_one_line_error(result, "stdin", "more than the limit of 50 bytes")


def test_max_bytes_default_is_the_core_default():
    from reconcile.ingest import DEFAULT_MAX_BYTES

    assert cli.DEFAULT_MAX_BYTES == DEFAULT_MAX_BYTES >= 50 * 2**20


def test_warnings_go_to_stderr_even_when_the_run_then_fails(tmp_path):
    a, _ = pair(tmp_path)
    result = run(a, a)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"reconcile: warning: {a}: given 2 times; read once",
                                          f"reconcile: error: {a}: need at least two sources to compare"]


def test_compare_a_case_manifest(tmp_path, monkeypatch):
    pair(tmp_path)
    (tmp_path / "case.yaml").write_text(
        "event: Mill flood\nsources:\n  - path: a.txt\n    outlet: Alpha\n    date: 2024-03-05\n"
        "  - path: b.txt\n    outlet: Beta\n    weight: 2\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path.parent)
    result = run(f"{tmp_path.name}/case.yaml", "-f", "json")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert data["event"] == "Mill flood"
    assert [(s["id"], s["name"], s["date"], s.get("weight")) for s in data["sources"]] == [
        ("a", "Alpha", "2024-03-05T00:00:00Z", None), ("b", "Beta", None, 2.0)]


# --- standard input: its prompt and its one name ---------------------------------------------------

def test_stdin_on_a_terminal_says_it_is_waiting(tmp_path, monkeypatch):
    a, _ = pair(tmp_path)
    monkeypatch.setattr(cli, "stdin_is_terminal", lambda: True)
    result = run("-", a, "-f", "json", input=B)
    assert result.exit_code == 0, result.output
    assert result.stderr == "reconcile: reading the article from standard input (Ctrl-D to end)\n"


def test_stdin_from_a_pipe_says_nothing(tmp_path):
    a, _ = pair(tmp_path)
    result = run("-", a, "-f", "json", input=B)
    assert result.exit_code == 0 and result.stderr == ""


def test_stdin_has_one_name_in_errors_and_reports(tmp_path):
    a, _ = pair(tmp_path)
    report = json.loads(run("-", a, "-f", "json", input=B).stdout)
    assert [s["name"] for s in report["sources"] if s["path"] is None] == ["stdin"]
    assert_one_line_error(run("-", a, input=""), "stdin", "file is empty")


def test_json_on_stdin_is_not_marked_extracted_but_a_json_file_is(tmp_path):
    a, _ = pair(tmp_path)
    article = json.dumps({"text": B, "outlet": "Radio"})
    (tmp_path / "radio.json").write_text(article, encoding="utf-8")
    piped = json.loads(run("-", a, "-f", "json", input=article).stdout)
    (stdin,) = [s for s in piped["sources"] if s["id"] == "stdin"]
    assert stdin["kind"] == "json" and "extracted" not in stdin
    from_file = json.loads(run(str(tmp_path / "radio.json"), a, "-f", "json").stdout)
    (radio,) = [s for s in from_file["sources"] if s["id"] == "radio"]
    assert radio["kind"] == "json" and radio["extracted"] is True


def test_the_size_limit_gives_exact_sizes(tmp_path):
    a, _ = pair(tmp_path)
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * 200_001)  # 1,000,005 bytes: both sizes read "1.0 MB" when rounded
    assert_one_line_error(run(a, str(big), "--max-bytes", "1000000"), str(big),
                          "is 1,000,005 bytes, over the limit of 1,000,000 bytes (--max-bytes)")
    assert_one_line_error(run(a, "-", "--max-bytes", "1MB", input="word " * 200_001), "stdin",
                          "holds more than the limit of 1,000,000 bytes (--max-bytes)")
