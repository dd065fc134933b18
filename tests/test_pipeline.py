"""The pipeline as a library: what a run leaves behind in the calling process."""
import gc

import pytest

from reconcile.errors import InputError
from reconcile.pipeline import compare, fewer_collections


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
