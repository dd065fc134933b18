"""When Python's cyclic garbage collector runs during a run.

A run makes millions of small acyclic objects (claims, features, candidate pairs, findings), and
collections that rescan them all found nothing to free while costing a tenth of a large run. A
run raises the collector's thresholds (as mypy does); the judge, whose allocation bursts set off
the most collections, pauses it. Both are process-wide settings: the first of overlapping users
(threads may compare at once) changes one and the last restores what the first found.
"""
from __future__ import annotations

import contextlib
import gc
import threading
from typing import Any, Callable

__all__ = ["collector_paused", "fewer_collections"]

_LOCK = threading.Lock()
_USERS: dict[str, list] = {"thresholds": [0, None], "paused": [0, None]}  # users under way, what the first found


@contextlib.contextmanager
def _shared(setting: str, save: Callable[[], Any], change: Callable[[Any], None], restore: Callable[[Any], None]):
    state = _USERS[setting]
    with _LOCK:
        if not state[0]:
            state[1] = save()
            change(state[1])
        state[0] += 1
    try:
        yield
    finally:
        with _LOCK:
            state[0] -= 1
            if not state[0]:
                restore(state[1])


def fewer_collections(first_generation: int = 100_000):
    """The collector wakes up less often; thresholds of 0 (collection switched off) are left so."""
    def change(before: tuple[int, int, int]) -> None:
        if before[0]:
            gc.set_threshold(max(before[0], first_generation), max(before[1], 20), max(before[2], 100))

    return _shared("thresholds", gc.get_threshold, change, lambda before: gc.set_threshold(*before))


def collector_paused():
    """The collector off for a while, back on afterwards if it was on."""
    return _shared("paused", gc.isenabled, lambda _: gc.disable(), lambda was_on: gc.enable() if was_on else None)
