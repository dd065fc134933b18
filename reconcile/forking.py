"""A call computed in a forked child process while this one goes on: the second core of a
machine, for work that splits in two after the sources are read (judging half the groups).

A forked child starts in milliseconds with everything this process holds, so nothing but the
result crosses between them. Fork is used only on Linux and only while this process runs no
other thread (a forked child would inherit a lock another thread holds); otherwise, or when the
fork or the child fails, the call is made here when its result is asked for. The result is the
same either way.
"""
from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
import weakref
from typing import Any, Callable


_TOLERATED: "weakref.WeakSet[threading.Thread]" = weakref.WeakSet()


def fork_is_safe() -> bool:
    """Whether worker processes may be forked: on Linux, while this process runs no other thread
    than those `tolerate` vouches for."""
    if not sys.platform.startswith("linux"):
        return False
    if threading.active_count() == 1:
        return True
    main = threading.main_thread()
    return all(thread is main or thread in _TOLERATED for thread in threading.enumerate())


def tolerate(thread: threading.Thread) -> None:
    """Vouch for a thread of this package that takes no lock a forked child needs (it draws a
    progress bar on stderr): fork stays safe while it runs. A forked child writes to a stderr of
    its own, so that the thread's hold on this process's stderr cannot block it."""
    _TOLERATED.add(thread)


def own_stderr() -> None:
    """In a forked child: a stderr with a lock of its own, not the copy of one a thread of the
    parent may have held at the fork (a tolerated thread draws on stderr)."""
    try:
        sys.stderr = open(os.dup(2), "w", buffering=1, errors="backslashreplace")
    except OSError:  # no stderr to write to
        pass


def cpus() -> int:
    """The CPUs this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


class _Child:
    """A forked child that writes to a pipe this process reads; ended when the `with` block is left."""

    def __init__(self, fork: bool):
        self._fork = fork
        self._pid: int | None = None
        self._pipe: int | None = None

    def __enter__(self):
        if self._fork and fork_is_safe():
            try:
                self._start()
            except OSError:  # no process to be had: the caller does the work here
                self._pid = self._pipe = None
        return self

    def __exit__(self, *exc_info) -> None:
        self._reap(kill=True)

    @property
    def forked(self) -> bool:
        return self._pid is not None

    def _send(self, write: int) -> None:
        """What the child does: write its results to `write`."""
        raise NotImplementedError

    def _start(self) -> None:
        read, write = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            raise
        if pid == 0:  # the child: work, write, and leave without running this process's exit code
            status = 1
            try:
                os.close(read)
                own_stderr()
                self._send(write)
                status = 0
            finally:
                os._exit(status)
        os.close(write)
        self._pid, self._pipe = pid, read

    def _reap(self, kill: bool) -> int | None:
        """Wait for the child (killed first when `kill`); its exit status, None without one."""
        if self._pipe is not None:
            os.close(self._pipe)
            self._pipe = None
        if self._pid is None:
            return None
        pid, self._pid = self._pid, None
        if kill:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        _, status = os.waitpid(pid, 0)
        return os.waitstatus_to_exitcode(status)


class ForkedCall(_Child):
    """`fn(*args)`, started in a forked child on entering the `with` block; `result()` waits
    for it. Without a child (not forked, or it failed), `result()` returns `fallback()` (by
    default `fn(*args)` here). Leaving the block ends the child."""

    def __init__(self, fn: Callable[..., Any], *args: Any, fork: bool = True,
                 fallback: Callable[[], Any] | None = None):
        super().__init__(fork)
        self._fn, self._args = fn, args
        self._fallback = fallback or (lambda: fn(*args))

    def _send(self, write: int) -> None:
        data = pickle.dumps(self._fn(*self._args), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write, "wb") as pipe:
            pipe.write(data)

    def result(self) -> Any:
        if self._pid is not None:
            with os.fdopen(self._pipe, "rb") as pipe:
                self._pipe = None
                data = pipe.read()
            if self._reap(kill=False) == 0 and data:
                return pickle.loads(data)
        return self._fallback()


class ForkedStream(_Child):
    """The items of the iterable `fn(*args)` returns, made in a forked child and sent one by one
    as they come: `ready()` gives those already here without waiting, so that this process
    unpickles them between its own tasks rather than all at the end; `rest()` waits for the
    others. Items a child could not send (it failed, or there is no child) are missing: the
    caller does their work itself."""

    _HEADER = 8  # bytes of the length that precedes each pickled item
    PIPE_BYTES = 1 << 20  # a pipe this large lets the child run ahead of this process's reading

    def __init__(self, fn: Callable[..., Any], *args: Any, fork: bool = True):
        super().__init__(fork)
        self._fn, self._args = fn, args
        self._buffer = bytearray()

    def _send(self, write: int) -> None:
        with os.fdopen(write, "wb", buffering=0) as pipe:
            for item in self._fn(*self._args):
                data = pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
                pipe.write(len(data).to_bytes(self._HEADER, "little") + data)

    def _start(self) -> None:
        super()._start()
        os.set_blocking(self._pipe, False)
        try:
            import fcntl

            fcntl.fcntl(self._pipe, fcntl.F_SETPIPE_SZ, self.PIPE_BYTES)
        except (ImportError, AttributeError, OSError):  # an older kernel's pipe: the child waits more
            pass

    def ready(self) -> list:
        """The items that have come, without waiting."""
        if self._pipe is None:
            return []
        while True:
            try:
                data = os.read(self._pipe, 1 << 20)
            except BlockingIOError:
                break
            if not data:
                break
            self._buffer += data
        return self._items()

    def rest(self) -> list:
        """The items still to come, waiting for the child to end."""
        if self._pipe is None:
            return []
        os.set_blocking(self._pipe, True)
        while data := os.read(self._pipe, 1 << 20):
            self._buffer += data
        items = self._items()
        self._reap(kill=False)
        return items

    def _items(self) -> list:
        items, at, size = [], 0, self._HEADER
        buffer = self._buffer
        while len(buffer) - at >= size:
            length = int.from_bytes(buffer[at:at + size], "little")
            if len(buffer) - at - size < length:
                break
            items.append(pickle.loads(buffer[at + size:at + size + length]))
            at += size + length
        del buffer[:at]
        return items


class TwoEnds:
    """Indexes 0..n-1 handed out a chunk at a time from the front (to this process) and from the
    back (to forked children, who may share it) until the two ends meet: the work splits by how
    fast each side goes, not by a guess of what each item costs, and neither side waits at the
    end for more than a chunk. Made before the fork; without a child, the front takes everything."""

    def __init__(self, n: int, chunk: int, shared: bool = True):
        self.n, self.chunk = n, chunk
        if shared:
            import mmap
            import multiprocessing

            self._ends = memoryview(mmap.mmap(-1, 16)).cast("q")  # anonymous mmap: shared with a forked child
            self._lock = multiprocessing.get_context("fork").Lock()
        else:  # no child will take from the back: no shared memory, no lock
            self._ends, self._lock = [0, 0], contextlib.nullcontext()
        self._ends[0], self._ends[1] = 0, n

    def front(self) -> range | None:
        with self._lock:
            start, stop = self._ends[0], min(self._ends[0] + self.chunk, self._ends[1])
            self._ends[0] = stop
        return range(start, stop) if start < stop else None

    def back(self) -> range | None:
        with self._lock:
            start, stop = max(self._ends[1] - self.chunk, self._ends[0]), self._ends[1]
            self._ends[1] = start
        return range(start, stop) if start < stop else None

    @property
    def met(self) -> int:
        """Where the ends met: the front took everything before this index, the back the rest."""
        return self._ends[0]
