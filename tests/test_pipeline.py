"""The pipeline as a library: what a run leaves behind in the calling process (the collector's settings), and reading sources in forked children."""
import gc

import pytest

from reconcile.errors import InputError
from reconcile.collector import collector_paused, fewer_collections
from reconcile.pipeline import compare


def test_a_run_restores_the_garbage_collector_thresholds_even_when_it_fails():
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold()[0] >= 100_000
    assert gc.get_threshold() == before
    compare(["A storm hit Velmar on Sunday.\n", "A storm hit Velmar on Monday.\n"])
    assert gc.get_threshold() == before
    with pytest.raises(InputError):
        compare(["Only one article.\n"])
    assert gc.get_threshold() == before


def test_a_caller_that_switched_automatic_collection_off_keeps_it_off():
    before = gc.get_threshold()
    gc.set_threshold(0)
    try:
        with fewer_collections():
            assert gc.get_threshold()[0] == 0
    finally:
        gc.set_threshold(*before)


def test_overlapping_runs_restore_the_thresholds_the_first_one_found():
    before = gc.get_threshold()
    outer, inner = fewer_collections(), fewer_collections()
    outer.__enter__()
    inner.__enter__()
    outer.__exit__(None, None, None)  # the first run ends before the second, as threads may
    assert gc.get_threshold()[0] >= 100_000
    inner.__exit__(None, None, None)
    assert gc.get_threshold() == before


def test_the_judge_pause_turns_collection_back_on_only_after_the_last_pause_and_only_if_it_was_on():
    assert gc.isenabled()
    outer, inner = collector_paused(), collector_paused()
    outer.__enter__()
    inner.__enter__()
    outer.__exit__(None, None, None)
    assert not gc.isenabled()
    inner.__exit__(None, None, None)
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def _sources(n):
    from reconcile.models import Source

    texts = [f"A storm hit the port town of Velmar on Sunday. {k + 2} people were killed in district {k}."
             for k in range(n)]
    return tuple(Source(id=f"s{k:02d}", name=f"s{k}", path=None, text=t) for k, t in enumerate(texts))


def test_this_process_and_forked_children_read_every_source_once():
    from reconcile import pipeline

    sources = _sources(23)
    alone = {s.id: pipeline.claims_of(s) for s in sources}
    for jobs in (2, 3):
        read = list(pipeline._read_in_forks(sources, pipeline.DEFAULT, jobs))
        assert sorted(s.id for s, _ in read) == [s.id for s in sources]
        assert {s.id: claims for s, claims in read} == alone


def test_sources_a_failing_child_took_are_read_here(monkeypatch):
    import os

    from reconcile import forking, pipeline
    from reconcile.pipeline import Config

    sources = _sources(23)
    parent = os.getpid()
    from_back = forking._from_back

    def dies_after_one_take(ends, *args):
        if os.getpid() != parent:
            ends.back()  # taken, never read
            os._exit(3)
        return from_back(ends, *args)

    monkeypatch.setattr(forking, "_from_back", dies_after_one_take)
    read = pipeline._read_all(sources, Config(jobs=2), lambda *args: None)
    assert read == {s.id: pipeline.claims_of(s) for s in sources}


@pytest.mark.skipif(not __import__("reconcile.forking", fromlist=["fork_is_safe"]).fork_is_safe(),
                    reason="forked readers only")
def test_a_large_run_imports_numpy_while_forked_children_read():
    import subprocess
    import sys

    code = """if True:
        import sys
        from reconcile import pipeline
        from reconcile.models import Source
        sources = tuple(Source(id=f"s{k:03d}", name="s", path=None, text=("Storm news. " * 40 + "5 died. ") * n)
                        for k, n in enumerate([1] * 40 + [10] * 3))
        pipeline.NUMPY_MIN_CHARS = 20_000  # the small run's 40 sources hold 19,520 characters
        small, large = sources[:40], sources
        pipeline._read_all(small, pipeline.Config(jobs=2), lambda *args: None)
        before = "numpy" in sys.modules
        pipeline._read_all(large, pipeline.Config(jobs=2), lambda *args: None)
        print(before, "numpy" in sys.modules)
    """
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True"]  # small runs never pay for it
