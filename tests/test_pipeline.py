"""The pipeline as a library: what a run leaves behind in the calling process (the collector's settings), and reading sources on a process pool."""
import gc

import pytest

from reconcile.errors import InputError
from reconcile.execution import fewer_collections
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


def _sources(n):
    from reconcile.models import Source

    texts = [f"A storm hit the port town of Velmar on Sunday. {k + 2} people were killed in district {k}."
             for k in range(n)]
    return tuple(Source(id=f"s{k:02d}", name=f"s{k}", path=None, text=t) for k, t in enumerate(texts))


def test_every_source_is_read_once_whatever_the_number_of_processes():
    from reconcile import pipeline
    from reconcile.pipeline import Config

    sources = _sources(23)
    alone = {s.id: pipeline.claims_of(s) for s in sources}
    for jobs in (1, 2, 3):
        told = []
        read = pipeline._read_all(sources, Config(jobs=jobs), lambda stage, done, total: told.append(done))
        assert read == alone
        assert told[0] == 0 and told[-1] == len(sources) and told == sorted(told)


def test_the_same_report_with_one_and_two_workers():
    from reconcile import pipeline
    from reconcile.pipeline import Config, compare_sources

    sources = _sources(40)
    assert len(pipeline._chunks(sources, 2)) > 2  # split: the workers and this process each take some
    alone = compare_sources(sources, Config(jobs=1)).to_dict()
    assert compare_sources(sources, Config(jobs=2)).to_dict() == alone
    assert compare_sources(sources, Config(jobs=3)).to_dict() == alone
