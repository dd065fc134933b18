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


@needs_fork
def test_a_child_whose_result_fits_the_pipe_is_gone_before_it_is_read():
    # Four times the 64 KiB a pipe holds by default: the child does not wait for this process.
    import time

    def state(pid: int) -> str:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0]

    with ForkedCall(_pid_and, "x" * (1 << 18)) as call:
        deadline = time.monotonic() + 30
        while state(call._pid) != "Z" and time.monotonic() < deadline:  # exited, not yet reaped
            time.sleep(0.01)
        assert state(call._pid) == "Z"
        assert call.result()[1] == "x" * (1 << 18)


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


@needs_fork
def test_a_child_killed_while_holding_the_lock_does_not_block_the_others():
    import signal as signals

    ends = TwoEnds(10, 1)

    def die_holding_the_lock():
        with ends._lock:
            os.kill(os.getpid(), signals.SIGKILL)

    previous = signals.signal(signals.SIGALRM, signals.default_int_handler)
    signals.alarm(20)  # a hang fails the test instead of the suite
    try:
        with ForkedCall(die_holding_the_lock, fallback=lambda: "died") as call:
            assert call.result() == "died"
        assert [list(r) for r in iter(ends.front, None)] == [[k] for k in range(10)]
    finally:
        signals.alarm(0)
        signals.signal(signals.SIGALRM, previous)


@needs_fork
def test_children_the_host_reaps_itself_fall_back_to_the_call_here():
    import signal as signals

    previous = signals.signal(signals.SIGCHLD, signals.SIG_IGN)  # children are reaped by the kernel
    try:
        with ForkedCall(_pid_and, 7) as call:
            assert call.result()[1] == 7
    finally:
        signals.signal(signals.SIGCHLD, previous)


class _Garbled(forking.ForkedStream):
    def _send(self, write):
        forking._write_all(write, b"".join(self._frame(item) for item in ("one", "two")))
        forking._write_all(write, (5).to_bytes(self._HEADER, "little") + b"\xffnot!")
        forking._write_all(write, self._frame("never read"))

    def _frame(self, item):
        import pickle

        data = pickle.dumps(item)
        return len(data).to_bytes(self._HEADER, "little") + data


@needs_fork
def test_a_garbled_stream_keeps_the_items_before_it_and_ends_the_child():
    with _Garbled(None) as stream:
        assert stream.rest() == ["one", "two"]
        assert not stream.forked


def test_without_fork_the_ends_are_plain_numbers(monkeypatch):
    monkeypatch.setattr(forking, "fork_is_safe", lambda: False)  # Windows, macOS, or a thread running
    ends = TwoEnds(5, 2)
    assert isinstance(ends._ends, list)
    assert [list(r) for r in iter(ends.front, None)] == [[0, 1], [2, 3], [4]]


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_each_of_gives_every_result_in_index_order(jobs):
    assert forking.each_of(23, lambda i: i * i, jobs, per_take=2) == [i * i for i in range(23)]


def test_each_of_does_here_what_a_failed_child_took(monkeypatch):
    parent = os.getpid()
    from_back = forking._from_back

    def dies_after_one_take(ends, work):
        if os.getpid() != parent:
            ends.back()  # taken, never done
            os._exit(3)
        return from_back(ends, work)

    monkeypatch.setattr(forking, "_from_back", dies_after_one_take)
    assert forking.each_of(17, lambda i: -i, 2) == [-i for i in range(17)]
