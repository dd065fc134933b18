"""Read the sources and pair each with the draft, in forked worker processes when it pays.

Each source is compared with the draft on its own (relate.pair), so the sources split between
processes with nothing to share. Forked workers start in milliseconds with everything this
process has loaded and compiled; fork is used only on Linux and only while this process runs no
other thread but the progress bar's (see forking.fork_is_safe). Otherwise, or with
fewer than FORK_MIN_SOURCES sources, or with Config(jobs=1), the work is done here. The result
is the same either way.
"""
from __future__ import annotations


from ..models import Claim, Source
from ..forking import cpus, fork_is_safe, own_stderr
from ..pipeline import Config, claims_of
from .relate import Pairing, pair

FORK_MIN_SOURCES = 16  # below this, a fork and the pickling back cost more than they save

_WORK: tuple | None = None  # what forked workers read: set just before the fork


def pair_all(draft: Source, claims: tuple[Claim, ...], sources: tuple[Source, ...],
             source_claims: dict[str, tuple[Claim, ...]] | None,
             config: Config) -> tuple[dict[str, tuple[Claim, ...]], dict[str, Pairing]]:
    """The sources' claims (read here unless given) and each source's Pairing with the draft."""
    jobs = _jobs(config.jobs, len(sources))
    if jobs > 1:
        try:
            return _in_forks(draft, claims, sources, source_claims, config, jobs)
        except (OSError, RuntimeError):  # no processes to be had: do it here
            pass
    if source_claims is None:
        source_claims = {s.id: claims_of(s, config.lexicon) for s in sources}
    return source_claims, {s.id: pair(draft, claims, s, source_claims[s.id], config) for s in sources}


def _jobs(asked: int, sources: int) -> int:
    if asked:
        return asked
    if sources < FORK_MIN_SOURCES or not fork_is_safe():
        return 1
    return max(1, min(cpus(), 8))


def _in_forks(draft, claims, sources, source_claims, config, jobs):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _WORK
    if not fork_is_safe():
        raise RuntimeError("no fork here: not Linux, or other threads are running")
    size = -(-len(sources) // jobs)
    starts = list(range(0, len(sources), size))
    _WORK = (draft, claims, sources, source_claims, config)
    try:
        with ProcessPoolExecutor(max_workers=len(starts), mp_context=multiprocessing.get_context("fork"),
                                 initializer=own_stderr) as pool:
            futures = [pool.submit(_pair_slice, start, start + size) for start in starts]
            done = [item for future in futures for item in future.result()]
    finally:
        _WORK = None
    read = {s.id: mine for s, (mine, _) in zip(sources, done)}
    return source_claims or read, {s.id: pairing for s, (_, pairing) in zip(sources, done)}


def _pair_slice(start: int, stop: int) -> list[tuple[tuple[Claim, ...], Pairing]]:
    draft, claims, sources, source_claims, config = _WORK
    out = []
    for source in sources[start:stop]:
        mine = source_claims[source.id] if source_claims else claims_of(source, config.lexicon)
        out.append((mine, pair(draft, claims, source, mine, config)))
    return out
