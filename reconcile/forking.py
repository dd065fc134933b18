"""Work split with forked child processes: the second core of a machine, for reading sources
and judging groups.

A forked child starts in milliseconds with everything this process holds, so nothing but the
results crosses between them. Fork is used only on Linux and only while this process runs no
other thread than those `tolerate` vouches for (a forked child would inherit a lock another
thread holds); otherwise, or when the fork or the child fails, the work is done here. The
results are the same either way.
"""
from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
import warnings
import weakref
from typing import Any, Callable, Iterator


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
    progress bar on stderr) outside `no_fork_meanwhile` blocks: fork stays safe while it runs. A
    forked child writes to a stderr of its own, so the thread's hold on ours cannot block it."""
    _TOLERATED.add(thread)


_FORKING = threading.Lock()  # held around each fork


def no_fork_meanwhile():
    """A block during which no fork happens: a tolerated thread's work that takes locks a child
    could need (importing modules, setting up the terminal)."""
    return _FORKING


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


MAX_JOBS = 8  # processes a run starts unasked, however many CPUs the machine has


def cpu_jobs() -> int:
    """Processes for work that splits: one per CPU, up to MAX_JOBS."""
    return max(1, min(cpus(), MAX_JOBS))


class _Child:
    """A forked child that writes to a pipe this process reads; ended when the `with` block is left."""

    PIPE_BYTES = 1 << 20  # a pipe this large lets a child run ahead of this process's reading

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

    _reading: set[int] = set()  # read ends of the pipes of every live child: a new child closes them

    def _start(self) -> None:
        read, write = os.pipe()
        # Ctrl-C between the fork and the bookkeeping would leave a child nobody ends (or, in
        # the child, run this process's clean-up): it waits until both sides are settled.
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            with _FORKING, warnings.catch_warnings():
                # Python 3.12 warns of any fork while threads run; ours are vouched for (tolerate).
                warnings.filterwarnings("ignore", "This process .* is multi-threaded", DeprecationWarning)
                pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
            raise
        if pid == 0:  # the child: work, write, and leave without running this process's exit code
            status = 1
            try:
                os.close(read)
                for other in _Child._reading:  # a sibling's pipe stays the sibling's and ours
                    os.close(other)
                signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
                own_stderr()
                self._send(write)
                status = 0
            finally:
                os._exit(status)
        try:
            os.close(write)
            self._pid, self._pipe = pid, read
            _Child._reading.add(read)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        try:  # a child whose results fit in the pipe writes them and is gone, whenever they are read
            import fcntl

            fcntl.fcntl(read, fcntl.F_SETPIPE_SZ, self.PIPE_BYTES)
        except (ImportError, AttributeError, OSError):  # an older kernel's pipe: the child waits more
            pass

    def _close_pipe(self) -> None:
        if self._pipe is not None:
            _Child._reading.discard(self._pipe)
            os.close(self._pipe)
            self._pipe = None

    def _reap(self, kill: bool) -> int | None:
        """Wait for the child (killed first when `kill`); its exit status, None without one."""
        self._close_pipe()
        if self._pid is None:
            return None
        pid, self._pid = self._pid, None
        try:
            if kill:
                os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):  # the host reaps children (SIGCHLD ignored)
            return None
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
        _write_all(write, pickle.dumps(self._fn(*self._args), protocol=pickle.HIGHEST_PROTOCOL))

    def result(self) -> Any:
        if self._pid is not None:
            data = _read_all(self._pipe)
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

    def __init__(self, fn: Callable[..., Any], *args: Any, fork: bool = True):
        super().__init__(fork)
        self._fn, self._args = fn, args
        self._buffer = bytearray()

    def _send(self, write: int) -> None:
        for item in self._fn(*self._args):
            data = pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
            _write_all(write, len(data).to_bytes(self._HEADER, "little") + data)

    def _start(self) -> None:
        super()._start()
        os.set_blocking(self._pipe, False)

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
        self._buffer += _read_all(self._pipe)
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
            try:
                items.append(pickle.loads(buffer[at + size:at + size + length]))
            except Exception:  # a garbled stream: the child failed, and its unsent work is the caller's
                self._reap(kill=True)
                self._buffer = bytearray()
                return items
            at += size + length
        del buffer[:at]
        return items


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:  # a write a signal interrupts may write part of the data
        view = view[os.write(fd, view):]


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def from_both_ends(n: int, work: Callable[[int], Any], jobs: int, per_take: int = 1) -> Iterator[tuple[int, Any]]:
    """(index, work(index)) for the indexes 0..n-1, in no fixed order: this process works from
    the first index on and `jobs - 1` forked children from the last one back, until they meet.
    What the children send is taken after each index done here (a child whose pipe is full
    waits, and unpickled meanwhile it costs nothing at the end). Indexes a failed child took
    are missing: the caller does them. Where fork is unsafe, this process does them all."""
    ends = TwoEnds(n, per_take)
    with contextlib.ExitStack() as stack:
        children = [stack.enter_context(ForkedStream(_from_back, ends, work)) for _ in range(jobs - 1)]
        for taken in iter(ends.front, None):
            for index in taken:
                yield index, work(index)
                for child in children:
                    yield from child.ready()
        for child in children:
            yield from child.rest()


def each_of(n: int, work: Callable[[int], Any], jobs: int, per_take: int = 1) -> list[Any]:
    """[work(0), ..., work(n - 1)]: split with forked children (from_both_ends) when `jobs` > 1
    and fork is safe, and whatever a failed child left, or all of it, done here."""
    done: dict[int, Any] = dict(from_both_ends(n, work, jobs, per_take)) if jobs > 1 and fork_is_safe() else {}
    return [done[index] if index in done else work(index) for index in range(n)]


def _from_back(ends: "TwoEnds", work: Callable[[int], Any]) -> Iterator[tuple[int, Any]]:
    for taken in iter(ends.back, None):
        for index in taken:
            yield index, work(index)


class TwoEnds:
    """Indexes 0..n-1 handed out a chunk at a time from the front (to this process) and from the
    back (to forked children, who may share it) until the two ends meet: the work splits by how
    fast each side goes, not by a guess of what each item costs, and neither side waits at the
    end for more than a chunk. Made before the fork; without a child, the front takes everything."""

    def __init__(self, n: int, chunk: int, shared: bool = True):
        self.n, self.chunk = n, chunk
        self._owner = os.getpid()
        self._ends: Any = [0, 0]
        self._lock: Any = contextlib.nullcontext()
        if shared and fork_is_safe():
            self._ends, self._lock = _shared_ends()
        self._ends[0], self._ends[1] = 0, n

    def front(self) -> range | None:
        with self._lock:
            start, stop = self._ends[0], min(self._ends[0] + self.chunk, self._ends[1])
            self._ends[0] = stop
        return range(start, stop) if start < stop else None

    def back(self) -> range | None:
        if os.getpid() != self._owner and os.getppid() != self._owner:
            return None  # this process's parent is gone: nobody will take the work
        with self._lock:
            start, stop = max(self._ends[1] - self.chunk, self._ends[0]), self._ends[1]
            self._ends[1] = start
        return range(start, stop) if start < stop else None

    @property
    def met(self) -> int:
        """Where the ends met: the front took everything before this index, the back the rest."""
        return self._ends[0]


def _shared_ends():
    """Two 64-bit integers in a file mapped shared, and a lock on that file: a POSIX record lock
    belongs to a process, so the kernel drops it when its holder dies (a child the OOM killer
    ends cannot leave the others waiting)."""
    import fcntl
    import mmap
    import tempfile

    if hasattr(os, "memfd_create"):
        fd = os.memfd_create("reconcile-two-ends")
    else:  # pragma: no cover - Linux before 3.17
        fd = os.dup(tempfile.TemporaryFile().fileno())
    try:
        os.ftruncate(fd, 16)
        ends = memoryview(mmap.mmap(fd, 16)).cast("q")
    except BaseException:
        os.close(fd)
        raise
    return ends, _RecordLock(fd, fcntl)


class _RecordLock:
    """fcntl.lockf on a file: exclusive between processes, released when the holder exits."""

    def __init__(self, fd: int, fcntl):
        self._fd, self._fcntl = fd, fcntl
        weakref.finalize(self, os.close, fd)

    def __enter__(self) -> None:
        self._fcntl.lockf(self._fd, self._fcntl.LOCK_EX)

    def __exit__(self, *exc_info) -> None:
        self._fcntl.lockf(self._fd, self._fcntl.LOCK_UN)
