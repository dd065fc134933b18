"""Progress reporting: the pipeline's callback hook, the rich bar on stderr, and a light start-up."""
from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from reconcile.cli import main
from reconcile.cli.progress import ProgressBar, wanted
from reconcile.pipeline import compare_sources, to_sources

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_compare_reports_each_stage_in_order():
    calls = []
    sources = to_sources([str(FIXTURES / "kyiv-drones")])
    compare_sources(sources, progress=lambda stage, done, total: calls.append((stage, done, total)))
    n = len(sources)
    assert calls == [("claims", i, n) for i in range(n + 1)] + [("align", 0, 1), ("align", 1, 1),
                                                                ("judge", 0, 1), ("judge", 1, 1)]


def test_a_progress_callback_can_abort_the_run():
    class Stop(Exception):
        pass

    def stop_at_align(stage, done, total):
        if stage == "align":
            raise Stop

    sources = to_sources([str(FIXTURES / "kyiv-drones")])
    try:
        compare_sources(sources, progress=stop_at_align)
    except Stop:
        pass
    else:  # pragma: no cover
        raise AssertionError("the callback's exception should end the run")


def test_the_bar_draws_stages_on_a_terminal():
    from rich.console import Console

    stream = _Terminal()
    console = Console(file=stream, force_terminal=True, width=100)
    with ProgressBar(True, delay=0, console=console) as bar:
        compare_sources(to_sources([str(FIXTURES / "kyiv-drones")]), progress=bar)
        assert bar.shown
    assert not bar.shown
    assert "Reading claims" in stream.getvalue() or "Judging" in stream.getvalue()


def test_a_run_shorter_than_the_delay_draws_nothing():
    stream = _Terminal()
    from rich.console import Console

    console = Console(file=stream, force_terminal=True)
    with ProgressBar(True, delay=3600, console=console) as bar:
        bar("claims", 1, 2)
    assert not bar.shown
    assert stream.getvalue() == ""


def test_a_disabled_bar_never_imports_or_draws():
    with ProgressBar(False, delay=0) as bar:
        bar("align", 0, 1)
        assert not bar.shown


def test_the_bar_is_wanted_only_on_a_terminal_and_not_when_quiet():
    assert wanted(False, _Terminal())
    assert not wanted(True, _Terminal())
    assert not wanted(False, io.StringIO())


def test_compare_prints_nothing_on_stderr_when_it_is_not_a_terminal():
    for extra in ([], ["--quiet"], ["-q"]):
        result = CliRunner().invoke(main, ["compare", str(FIXTURES / "kyiv-drones"), "--format", "json", *extra])
        assert result.exit_code == 0, result.output
        assert result.stderr == ""
        assert result.stdout.startswith("{")


def test_version_imports_no_heavy_module():
    code = ("import sys\nfrom reconcile.cli import main\n"
            "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('rapidfuzz', 'numpy', 'rich', 'yaml', 'dask') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().endswith("[]"), out.stdout


def test_the_bar_leaves_forking_safe_and_no_thread_behind():
    import threading

    from rich.console import Console

    from reconcile import execution

    if not execution.fork_is_safe():  # an earlier test left a thread running
        return
    console = Console(file=_Terminal(), force_terminal=True, width=100)
    with ProgressBar(True, delay=0, console=console) as bar:
        bar("claims", 1, 3)
        assert bar.shown and threading.active_count() == 2  # rich runs no refresh thread of its own
        assert execution.fork_is_safe()
        assert dict(execution.map_chunks(sum, [[1, 2], [3], [4, 5]], 2)) == {0: 3, 1: 3, 2: 9}
    assert threading.active_count() == 1


def test_a_thread_nobody_vouches_for_makes_forking_unsafe():
    import threading

    from reconcile import execution

    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not execution.fork_is_safe()
    finally:
        stop.set()
        other.join()
