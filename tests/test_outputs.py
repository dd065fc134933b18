"""--output of every command: special files are written to, links followed, modes as open() gives
them, folders refused. Special files are made in temporary folders: never the real /dev/null."""
from __future__ import annotations

import json
import os
import select
import shutil
import stat
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from reconcile.cli import main

from conftest import FIXTURES

KYIV = FIXTURES / "kyiv-drones"
WRONG = FIXTURES / "drafts" / "kyiv-drones-wrong.md"


def run(*args):
    return CliRunner().invoke(main, [*map(str, args)])


def one_line_error(result, *words):
    assert result.exit_code == 2, result.output
    assert result.stdout == "" and len(result.stderr.splitlines()) == 1, result.stderr
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.stderr, result.stderr


class FifoReader:
    """Reads a FIFO in a thread, as a shell's `cat fifo &` would. It holds a write end of its own,
    so that it sees the end only when `finish` says so: a run that never opens the FIFO (or
    replaces it) cannot leave the test waiting."""

    def __init__(self, path: Path):
        self.fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        self.keeper = os.open(path, os.O_WRONLY)
        self.chunks: list[bytes] = []
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        while True:
            select.select([self.fd], [], [])
            try:
                chunk = os.read(self.fd, 65536)
            except BlockingIOError:
                continue
            if not chunk:
                return
            self.chunks.append(chunk)

    def finish(self) -> bytes:
        os.close(self.keeper)
        self.thread.join()
        os.close(self.fd)
        return b"".join(self.chunks)


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


COMMANDS = {
    "compare": lambda out: ["compare", KYIV, "-f", "json", "-o", out],
    "check sarif": lambda out: ["check", WRONG, "--against", KYIV, "-f", "sarif", "-o", out],
    "check baseline": lambda out: ["check", WRONG, "--against", KYIV, "--write-baseline", out],
    "batch": lambda out: ["batch", KYIV, "-q", "-o", out],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_fifo_is_written_to_and_stays_a_fifo(tmp_path, command):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = FifoReader(fifo)
    result = run(*COMMANDS[command](fifo))
    data = reader.finish()
    assert result.exit_code in (0, 1), result.output
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert json.loads(data.splitlines()[0] if command == "batch" else data)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]  # no temporary file left


def test_a_link_to_a_fifo_is_followed_and_stays_a_link(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "report.json"
    link.symlink_to(fifo)
    reader = FifoReader(fifo)
    result = run("compare", KYIV, "-f", "json", "-o", link)
    data = reader.finish()
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == str(fifo)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert json.loads(data)["schema"] == "reconcile.report/2"


def test_a_link_to_a_file_is_followed_and_stays_a_link(tmp_path):
    real = tmp_path / "reports" / "latest.json"
    real.parent.mkdir()
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "report.json"
    link.symlink_to(real)
    assert run("compare", KYIV, "-f", "json", "-o", link).exit_code == 0
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert json.loads(real.read_text(encoding="utf-8"))["schema"] == "reconcile.report/2"


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_new_output_gets_the_mode_open_would_give_it(tmp_path, command, umask_022):
    out = tmp_path / "out.json"
    assert run(*COMMANDS[command](out)).exit_code in (0, 1)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_an_overwritten_output_keeps_its_mode(tmp_path, command, umask_022):
    out = tmp_path / "out.json"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o640)
    assert run(*COMMANDS[command](out)).exit_code in (0, 1)
    assert out.read_text(encoding="utf-8") != "old"
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_an_output_ending_in_a_slash_is_refused(tmp_path, command):
    result = run(*COMMANDS[command](f"{tmp_path / 'newdir'}/"))
    one_line_error(result, "newdir/", "directory")
    assert list(tmp_path.iterdir()) == []


def test_an_input_inside_an_input_folder_is_called_an_input(tmp_path):
    folder = tmp_path / "kyiv"
    shutil.copytree(KYIV, folder)
    before = (folder / "wire.txt").read_bytes()
    result = run("compare", folder, "-f", "json", "-o", folder / "wire.txt")
    one_line_error(result, "wire.txt", "names one of the inputs", "refusing to overwrite")
    assert "add a file" not in result.stderr
    assert (folder / "wire.txt").read_bytes() == before


def test_a_new_file_inside_an_input_folder_is_refused(tmp_path):
    folder = tmp_path / "kyiv"
    shutil.copytree(KYIV, folder)
    result = run("compare", folder, "-f", "json", "-o", folder / "report.json")
    one_line_error(result, "report.json", "would add a file to the input directory")
    assert not (folder / "report.json").exists()


def test_a_unix_socket_is_written_to_and_stays_a_socket(tmp_path):
    import socket

    path = tmp_path / "report.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(str(path))
        server.listen(1)  # the report (30 KB) fits the connection's buffer before it is accepted
        result = run("compare", KYIV, "-f", "json", "-o", path)
        assert result.exit_code == 0, result.output
        server.setblocking(False)
        connection, _ = server.accept()  # BlockingIOError: nothing connected
        connection.setblocking(True)
        with connection:
            data = b"".join(iter(lambda: connection.recv(65536), b""))
    assert stat.S_ISSOCK(os.lstat(path).st_mode)
    assert json.loads(data)["schema"] == "reconcile.report/2"


def test_an_empty_output_name_is_refused(tmp_path):
    one_line_error(run("compare", KYIV, "-o", ""), "--output: the file name is empty")
