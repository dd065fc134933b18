"""A call in a forked child, and work split from both ends between this process and the child."""
import os
import sys

import pytest

from reconcile import forking
from reconcile.forking import ForkedCall, TwoEnds


@pytest.fixture
def forkable():
    # Checked when the test runs: an earlier test may leave a thread behind.
    if not forking.fork_is_safe():
        pytest.skip("fork is used only on Linux while one thread runs")


needs_fork = pytest.mark.usefixtures("forkable")


def _pid_and(value):
    return os.getpid(), value


@needs_fork
def test_the_call_runs_in_a_child_and_its_result_comes_back():
    with ForkedCall(_pid_and, [1, "two"]) as call:
        pid, value = call.result()
    assert pid != os.getpid()
    assert value == [1, "two"]


def test_without_fork_the_call_is_made_here():
    with ForkedCall(_pid_and, 3, fork=False) as call:
        assert call.result() == (os.getpid(), 3)


def test_fork_is_not_used_while_another_thread_runs(monkeypatch):
    monkeypatch.setattr(forking, "fork_is_safe", lambda: False)
    with ForkedCall(_pid_and, 4) as call:
        assert call.result() == (os.getpid(), 4)


def _fails_in_child(parent):
    if os.getpid() != parent:
        raise RuntimeError("the child breaks")
    return "made here"


@needs_fork
def test_a_failing_child_falls_back_to_the_call_here_and_prints_nothing(capfd):
    with ForkedCall(_fails_in_child, os.getpid()) as call:
        assert call.result() == "made here"
    assert capfd.readouterr() == ("", "")


@needs_fork
def test_the_fallback_is_what_the_caller_gives():
    with ForkedCall(_fails_in_child, os.getpid(), fallback=lambda: "fallback") as call:
        assert call.result() == "fallback"


@needs_fork
def test_a_large_result_crosses_the_pipe():
    with ForkedCall(_pid_and, "x" * (1 << 22)) as call:
        assert call.result()[1] == "x" * (1 << 22)


def _sleep_forever():
    import time

    time.sleep(60)


@needs_fork
def test_leaving_the_block_ends_an_unfinished_child():
    with ForkedCall(_sleep_forever) as call:
        pid = call._pid
        assert pid is not None
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


@pytest.mark.parametrize("n,chunk", [(0, 4), (1, 4), (10, 3), (37, 4), (5, 100)])
@pytest.mark.parametrize("shared", [True, False])
def test_two_ends_without_a_child_give_everything_to_the_front(n, chunk, shared):
    ends = TwoEnds(n, chunk, shared=shared)
    taken = []
    while (r := ends.front()) is not None:
        taken.extend(r)
    assert taken == list(range(n))
    assert ends.back() is None
    assert ends.met == n


def _take_back(ends):
    taken = []
    while (r := ends.back()) is not None:
        taken.append(list(r))
    return taken


@needs_fork
@pytest.mark.parametrize("n", [1, 2, 50, 1000])
def test_two_ends_split_every_index_once_between_this_process_and_a_child(n):
    ends = TwoEnds(n, 3)
    with ForkedCall(_take_back, ends) as call:
        front = []
        while (r := ends.front()) is not None:
            front.extend(r)
        back = [i for chunk in reversed(call.result()) for i in chunk]
    assert front + back == list(range(n))
    assert front == list(range(ends.met))


def test_fork_is_safe_only_on_linux(monkeypatch):
    monkeypatch.setattr(sys, "platform", "darwin")
    assert not forking.fork_is_safe()


def _count(n, fail_at=None):
    for k in range(n):
        if k == fail_at:
            os._exit(5)
        yield k, "x" * (k * 997 % 50_000)  # items of many sizes, some larger than a read


@needs_fork
def test_a_stream_sends_every_item_in_order():
    from reconcile.forking import ForkedStream

    with ForkedStream(_count, 300) as stream:
        assert stream.forked
        got = []
        while len(got) < 5:
            got += stream.ready()
        got += stream.rest()
    assert got == list(_count(300))


@needs_fork
def test_a_stream_keeps_what_a_failing_child_sent_before_it_failed():
    from reconcile.forking import ForkedStream

    with ForkedStream(_count, 300, 40) as stream:
        got = stream.rest()
    assert got == list(_count(40))


def test_a_stream_without_a_child_gives_nothing():
    from reconcile.forking import ForkedStream

    with ForkedStream(_count, 10, fork=False) as stream:
        assert not stream.forked
        assert stream.ready() == [] and stream.rest() == []
