"""Where reconcile runs work in parallel: the one module that starts processes or tunes the
interpreter for a run.

The stages are functions of plain data; pipeline.py (and check's pairing) hand work that splits
into independent chunks to `map_chunks`, which runs it on a concurrent.futures process pool:
forked workers on Linux while no thread but the progress bar's runs (they start in milliseconds
with the lexicons loaded), spawned ones otherwise (only where the caller asked for processes:
spawning re-runs an unguarded script's top level). This process works too, taking chunks from the
back while the workers take them from the front. Each chunk's result depends on the chunk alone,
so the results are the same whatever the number of processes.
"""
from __future__ import annotations

import contextlib
import gc
import os
import sys
import threading
import warnings
import weakref
from typing import Any, Callable, Iterator, Sequence

__all__ = ["aside", "cpu_jobs", "cpus", "fewer_collections", "fork_is_safe", "in_order", "map_chunks", "map_in_order",
           "no_fork_meanwhile", "tolerate"]

MAX_JOBS = 8  # processes a run starts unasked, however many CPUs the machine has


def cpus() -> int:
    """The CPUs this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def cpu_jobs() -> int:
    """Processes for work that splits: one per CPU, up to MAX_JOBS."""
    return max(1, min(cpus(), MAX_JOBS))


_TOLERATED: "weakref.WeakSet[threading.Thread]" = weakref.WeakSet()
_FORKING = threading.Lock()  # held while a pool forks its workers


def tolerate(thread: threading.Thread) -> None:
    """Vouch for a thread of this package that takes no lock a forked worker needs (the progress
    bar, drawing on stderr) outside `no_fork_meanwhile` blocks: fork stays safe while it runs."""
    _TOLERATED.add(thread)


def no_fork_meanwhile():
    """A block during which no worker is forked: a tolerated thread's work that takes locks a
    forked worker could need (importing modules, setting up the terminal)."""
    return _FORKING


def fork_is_safe() -> bool:
    """Whether workers may be forked: on Linux, while no thread runs but those `tolerate` vouches for."""
    if not sys.platform.startswith("linux"):
        return False
    if threading.active_count() == 1:
        return True
    main = threading.main_thread()
    return all(thread is main or thread in _TOLERATED for thread in threading.enumerate())


def aside(work: Callable[[], Any]) -> Callable[[], Any]:
    """Start `work` in a forked child, which reads this process's memory as it is now, while
    this process goes on; the call returned gives its result (unpickled from the child). Where no
    child can be forked, or the child fails, the work is done here when the result is asked for:
    the result is the same either way."""
    if not fork_is_safe():
        return work
    import pickle

    read_end, write_end = os.pipe()
    with _FORKING, warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # the tolerated threads take no lock the child needs
        pid = os.fork()
    if pid == 0:  # the child: the work, its result down the pipe, and out without any cleanup of the parent's
        status = 1
        try:
            os.close(read_end)
            with os.fdopen(write_end, "wb") as out:
                pickle.dump(work(), out, protocol=pickle.HIGHEST_PROTOCOL)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)

    def result() -> Any:
        with os.fdopen(read_end, "rb") as pipe:
            try:
                value, ok = pickle.load(pipe), True
            except Exception:  # noqa: BLE001 - a child that died or wrote nothing: do the work here
                value, ok = None, False
        _, status = os.waitpid(pid, 0)
        return value if ok and status == 0 else work()

    return result


def map_in_order(work: Callable[[Any], list], chunks: Sequence[Any], jobs: int) -> list:
    """The lists work(chunk) returns, joined in chunk order (map_chunks finishes them in any)."""
    return [item for _, items in sorted(map_chunks(work, chunks, jobs), key=lambda done: done[0]) for item in items]


def map_chunks(work: Callable[[Any], Any], chunks: Sequence[Any], jobs: int) -> Iterator[tuple[int, Any]]:
    """(index, work(chunks[index])) for every chunk, in no fixed order: `jobs - 1` worker processes
    take chunks from the front while this process takes them from the back, until they meet.
    `work` and the chunks must pickle (a module-level function; functools.partial of one).
    Chunks of a worker that died are done here; with `jobs` < 2, or no process to be had, all are."""
    if jobs < 2 or len(chunks) < 2:
        for index, chunk in enumerate(chunks):
            yield index, work(chunk)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    fork = fork_is_safe()
    context = multiprocessing.get_context("fork" if fork else "spawn")
    pool = None
    try:
        with _FORKING, warnings.catch_warnings():  # a fork-context pool forks all its workers at the first submit
            # Python 3.12 warns of any fork while threads run; the only one here is vouched for (tolerate).
            warnings.filterwarnings("ignore", "This process .* is multi-threaded", DeprecationWarning)
            pool = ProcessPoolExecutor(min(jobs - 1, len(chunks) - 1), mp_context=context,
                                       initializer=_own_stderr if fork else None)
            futures = [pool.submit(work, chunk) for chunk in chunks]
    except (OSError, RuntimeError, ImportError) as exc:  # no processes here: everything in this one
        if pool is not None:  # a worker died while chunks were still being handed out
            pool.shutdown(wait=True, cancel_futures=True)
        warnings.warn(f"working in one process: worker processes failed ({exc})", RuntimeWarning)
        for index, chunk in enumerate(chunks):
            yield index, work(chunk)
        return
    done_here = set()
    try:
        # From the last chunk back, those no worker has started: a result made here needs no
        # pickling, which costs a fifth of what making it does.
        for index in reversed(range(len(chunks))):
            if not futures[index].cancel():
                break
            done_here.add(index)
            yield index, work(chunks[index])
        for index, future in enumerate(futures):
            if index in done_here:
                continue
            try:
                result = future.result()
            except BrokenProcessPool:  # a worker died (killed, out of memory): its chunks are done here
                result = work(chunks[index])
            yield index, result
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def in_order(work: Callable[[Any], Any], items: Sequence[Any], jobs: int) -> Iterator[tuple[Any, Any]]:
    """(item, work(item)) for every item, in the order given, as soon as it and those before it are
    done, on `jobs` spawned worker processes (`reconcile batch`: whole runs side by side; spawned,
    since the caller may run threads). An item whose worker died comes with the BrokenProcessPool
    error instead of a result."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(items))), mp_context=context) as pool:
        futures = [pool.submit(work, item) for item in items]
        try:
            for item, future in zip(items, futures):
                try:
                    yield item, future.result()
                except BrokenProcessPool as exc:
                    yield item, exc
        finally:
            for future in futures:
                future.cancel()


def _own_stderr() -> None:
    """In a forked worker: a stderr with a lock of its own, not the copy of one the progress bar's
    thread may have held at the fork."""
    try:
        sys.stderr = open(os.dup(2), "w", buffering=1, errors="backslashreplace")
    except OSError:  # no stderr to write to
        pass


_GC_LOCK = threading.Lock()
_GC_USERS = [0, None]  # runs under way, the thresholds the first one found


@contextlib.contextmanager
def fewer_collections(first_generation: int = 100_000):
    """Python's cyclic garbage collector wakes up less often during a run: a run makes millions of
    small acyclic objects, and collections that rescanned them freed nothing while costing a tenth
    of a large run. Thresholds of 0 (collection switched off) are left so; overlapping runs
    (threads) restore what the first one found when the last one ends."""
    with _GC_LOCK:
        if not _GC_USERS[0]:
            _GC_USERS[1] = before = gc.get_threshold()
            if before[0]:
                gc.set_threshold(max(before[0], first_generation), max(before[1], 20), max(before[2], 100))
        _GC_USERS[0] += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC_USERS[0] -= 1
            if not _GC_USERS[0]:
                gc.set_threshold(*_GC_USERS[1])
