"""Where --output goes: a file written whole, that harms nothing it replaces.

A regular file (or a name not yet taken) is written to a temporary file beside it, which is
renamed over it only once every byte is written: a failing run leaves the old report as it was.
The new file gets the mode `open()` would give it (0666 less the umask), or the mode and owner of
the file it replaces. A character device, FIFO or socket is written to directly: renaming over
/dev/null would replace the device with an ordinary file. A symbolic link is followed, so the
link stays and what it points to gets the report.
"""
from __future__ import annotations

import os
import socket
import stat
import tempfile
from typing import Iterable

from ..errors import ReconcileError


class OutputError(ReconcileError):
    """--output names something that must not or cannot be written."""


def refuse_unsafe(output: str, inputs: Iterable[str], input_suffixes: tuple[str, ...]) -> None:
    """OutputError when FILE is a folder, one of the inputs, or a new file an input folder would read next time."""
    if not output.strip():
        raise OutputError("--output: the file name is empty")
    if output.endswith(("/", os.sep)) or os.path.basename(output) in (".", ".."):
        raise OutputError(f"{output}: --output names a directory; give the name of a file")
    target = os.path.realpath(output)
    inputs = [item for item in inputs if item != "-"]
    for item in inputs:  # an input first: its own message, whatever folder also holds it
        if os.path.exists(item) and os.path.realpath(item) == target:
            raise OutputError(f"{output}: --output names one of the inputs; refusing to overwrite it")
    for item in inputs:
        if os.path.isdir(item) and target.startswith(os.path.realpath(item) + os.sep) \
                and output.lower().endswith(input_suffixes):
            raise OutputError(f"{output}: --output would add a file to the input directory {item}, "
                              f"which would read it as an article next time; write it elsewhere")


def cannot_write(where: str, exc: OSError) -> OutputError:
    return OutputError(f"{where}: cannot write the output: {exc.strerror or exc}")


class OutputFile:
    """A text stream to FILE: `write`, then `commit` to put it in place or `discard` to leave FILE as it was."""

    def __init__(self, output: str, suffix: str = ""):
        self.output = output
        self.target = os.path.realpath(output)
        self.temp: str | None = None
        try:
            info = os.stat(self.target)
        except FileNotFoundError:
            info = None
        except OSError as exc:
            raise cannot_write(output, exc) from None
        try:
            if info is not None and stat.S_ISSOCK(info.st_mode):
                self.stream = _socket_stream(self.target)
            elif info is not None and (stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode)):
                self.stream = open(self.target, "w", encoding="utf-8")
            elif info is not None and not stat.S_ISREG(info.st_mode):
                raise OutputError(f"{output}: --output names something that is not a file")
            else:
                self.stream = self._temporary(info, suffix)
        except OSError as exc:
            raise cannot_write(output, exc) from None

    def _temporary(self, info: os.stat_result | None, suffix: str):
        folder = os.path.dirname(self.target) or "."
        if not os.path.isdir(folder):
            raise OutputError(f"{self.output}: directory {folder} does not exist")
        handle, self.temp = tempfile.mkstemp(prefix=".reconcile-", suffix=suffix, dir=folder)
        try:
            if info is None:
                os.fchmod(handle, 0o666 & ~_umask())
            else:
                os.fchmod(handle, stat.S_IMODE(info.st_mode))
                if (info.st_uid, info.st_gid) != (os.getuid(), os.getgid()):
                    try:
                        os.fchown(handle, info.st_uid, info.st_gid)
                    except PermissionError:  # only root may give a file away; the mode is kept anyway
                        pass
            return os.fdopen(handle, "w", encoding="utf-8")
        except BaseException:
            os.close(handle)
            os.unlink(self.temp)
            raise

    def write(self, text: str) -> None:
        try:
            self.stream.write(text)
        except BaseException as exc:  # Ctrl-C too: the old FILE stays, no temporary file is left
            self.discard()
            if isinstance(exc, OSError):
                raise cannot_write(self.output, exc) from None
            raise

    def commit(self) -> None:
        try:
            self.stream.close()
            if self.temp is not None:
                os.replace(self.temp, self.target)
                self.temp = None
        except OSError as exc:
            self.discard()
            raise cannot_write(self.output, exc) from None

    def discard(self) -> None:
        try:
            self.stream.close()
        except (OSError, ValueError):  # a stream whose writes failed may fail to close too
            pass
        if self.temp is not None and os.path.exists(self.temp):
            os.unlink(self.temp)
        self.temp = None


def _umask() -> int:
    # The only way to read the umask is to set it; the CLI runs no other thread that creates files.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _socket_stream(path: str):
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect(path)
    except OSError:
        connection.close()
        raise
    # makefile keeps its own reference: closing the stream closes the connection
    stream = connection.makefile("w", encoding="utf-8")
    connection.close()
    return stream


def write_file(text: str, output: str) -> None:
    """Write text to FILE whole (see OutputFile)."""
    out = OutputFile(output)
    out.write(text)
    out.commit()
