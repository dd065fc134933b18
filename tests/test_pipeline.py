"""The pipeline as a library: what a run leaves behind in the calling process (the collector's settings)."""
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
