"""execution.py: the one place that starts processes. map_chunks gives every chunk's result
once, whatever the number of processes, and does here what a dead worker left."""
import functools
import os
import threading

import pytest

from reconcile import execution
from reconcile.execution import fork_is_safe, map_chunks


def _square_all(chunk):
    return [x * x for x in chunk]


def _pid_of(chunk):
    return os.getpid()


def _dies_in_a_worker(chunk, parent):
    if os.getpid() != parent:
        os._exit(3)
    return _square_all(chunk)


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_every_chunk_once_whatever_the_number_of_processes(jobs):
    chunks = [list(range(k, k + 3)) for k in range(0, 60, 3)]
    done = dict(map_chunks(_square_all, chunks, jobs))
    assert sorted(done) == list(range(len(chunks)))
    assert [done[i] for i in range(len(chunks))] == [_square_all(c) for c in chunks]


def test_workers_take_chunks_when_forking_is_safe():
    if not fork_is_safe():
        pytest.skip("an earlier test left a thread running")
    pids = {pid for _, pid in map_chunks(_pid_of, [[k] for k in range(40)], 2)}
    assert len(pids - {os.getpid()}) == 1  # one worker (this process may take some chunks too)


# On Python 3.11 the pool's manager thread, told of the dead worker, sets the error on every
# pending future, and one this process cancelled to take it itself refuses it (InvalidStateError,
# raised in that thread; 3.12 passes over it). The chunks are all done here even so.
# A worker that dies before every chunk is handed out breaks the pool at once: the run then
# says so and works in one process.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
@pytest.mark.filterwarnings("ignore:working in one process:RuntimeWarning")
def test_chunks_a_dead_worker_took_are_done_here():
    chunks = [[k] for k in range(20)]
    done = dict(map_chunks(functools.partial(_dies_in_a_worker, parent=os.getpid()), chunks, 2))
    assert [done[i] for i in range(len(chunks))] == [_square_all(c) for c in chunks]


def test_an_error_in_the_work_is_raised_as_it_would_be_here():
    with pytest.raises(ZeroDivisionError):
        list(map_chunks(functools.partial(divmod, 1), [0, 0, 0], 2))


def test_a_thread_nobody_vouches_for_makes_forking_unsafe():
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not fork_is_safe()
        execution.tolerate(other)
        assert fork_is_safe() == execution.sys.platform.startswith("linux")
    finally:
        stop.set()
        other.join()


def test_no_stage_imports_process_machinery():
    """Stages are functions of plain data: processes, signals and the collector are the edge's."""
    import re
    from pathlib import Path

    root = Path(execution.__file__).resolve().parent
    stages = ["clean", "segment.py", "claims", "align", "judge", "report", "support"]
    banned = re.compile(r"^\s*(?:import|from)\s+(?:\S*\b(?:execution|forking|collector|multiprocessing|signal|gc)\b"
                        r"|concurrent\.futures\.process)|os\.fork|_sre|re\._parser|re\._constants|sre_parse|sre_compile",
                        re.M)
    for stage in stages:
        for path in ([root / stage] if stage.endswith(".py") else sorted((root / stage).rglob("*.py"))):
            found = banned.search(path.read_text(encoding="utf-8"))
            assert not found, f"{path.relative_to(root)}: {found.group(0)}"


def test_in_order_gives_each_result_in_the_order_of_the_items():
    from reconcile.execution import in_order

    items = [[k, k + 1] for k in range(6)]
    assert list(in_order(_square_all, items, 2)) == [(item, _square_all(item)) for item in items]


def test_in_order_tells_of_a_worker_that_died():
    from concurrent.futures.process import BrokenProcessPool

    from reconcile.execution import in_order

    done = list(in_order(functools.partial(_dies_in_a_worker, parent=os.getpid()), [[1], [2]], 2))
    assert [item for item, _ in done] == [[1], [2]]
    assert all(isinstance(result, BrokenProcessPool) for _, result in done)


def test_aside_gives_the_works_result_from_a_child_process():
    if not fork_is_safe():
        pytest.skip("an earlier test left a thread running")
    parent = os.getpid()
    result = execution.aside(lambda: (os.getpid(), [x * x for x in range(5)]))
    pid, squares = result()
    assert pid != parent and squares == [0, 1, 4, 9, 16]


def test_aside_does_the_work_here_when_the_child_dies(monkeypatch):
    if not fork_is_safe():
        pytest.skip("an earlier test left a thread running")
    parent = os.getpid()

    def dies_in_a_child():
        if os.getpid() != parent:
            os._exit(3)
        return "done here"

    assert execution.aside(dies_in_a_child)() == "done here"


def test_aside_does_the_work_here_when_forking_is_unsafe(monkeypatch):
    monkeypatch.setattr(execution, "fork_is_safe", lambda: False)
    assert execution.aside(os.getpid)() == os.getpid()


def test_the_judge_gives_the_same_findings_with_its_facts_judged_aside():
    from conftest import FIXTURES

    from reconcile.align import align
    from reconcile.judge import judge
    from reconcile.pipeline import claims_of, to_sources

    sources = tuple(sorted(to_sources([FIXTURES / "coastal-storm"]), key=lambda s: s.id))
    groups = align(tuple(c for s in sources for c in claims_of(s)))
    here = judge(groups, sources)
    assert [f for f in here if f.verdict == "update"]  # facts among them
    assert judge(groups, sources, aside=execution.aside) == here
