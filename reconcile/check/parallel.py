"""Read the sources and pair each with the draft, on a process pool when it pays.

Each source is compared with the draft on its own (relate.pair), so the sources split between
processes with nothing to share: execution.map_chunks runs chunks of them on worker processes
(forked where that is safe) while this process takes chunks from the back. With fewer than
FORK_MIN_SOURCES sources, where fork is unsafe and no jobs were asked for, or with
Config(jobs=1), the work is done here. The result is the same either way.
"""
from __future__ import annotations

import functools

from ..execution import cpu_jobs, fork_is_safe, map_in_order
from ..models import Claim, Source
from ..pipeline import Config, claims_of
from .relate import Pairing, pair

FORK_MIN_SOURCES = 16  # below this, starting workers and pickling back cost more than they save
CHUNKS_PER_JOB = 4


def pair_all(draft: Source, claims: tuple[Claim, ...], sources: tuple[Source, ...],
             source_claims: dict[str, tuple[Claim, ...]] | None,
             config: Config) -> tuple[dict[str, tuple[Claim, ...]], dict[str, Pairing]]:
    """The sources' claims (read here unless given) and each source's Pairing with the draft."""
    jobs = _jobs(config.jobs, len(sources))
    items = [(s, source_claims[s.id] if source_claims else None) for s in sources]
    size = max(1, -(-len(items) // (jobs * CHUNKS_PER_JOB)))
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    work = functools.partial(_pair_chunk, draft=draft, claims=claims, config=config)
    done = map_in_order(work, chunks, jobs)
    pairings = {s.id: pairing for s, (_, pairing) in zip(sources, done)}
    if source_claims:
        return source_claims, pairings
    return {s.id: mine for s, (mine, _) in zip(sources, done)}, pairings


def _jobs(asked: int, sources: int) -> int:
    if asked:
        return asked
    if sources < FORK_MIN_SOURCES or not fork_is_safe():
        return 1
    return cpu_jobs()


def _pair_chunk(chunk: list[tuple[Source, tuple[Claim, ...] | None]], draft: Source, claims: tuple[Claim, ...],
                config: Config) -> list[tuple[tuple[Claim, ...] | None, Pairing]]:
    """Each source's Pairing, with the claims read for it (None for claims it was given: those
    need not travel back from a worker)."""
    out = []
    for source, given in chunk:
        mine = given if given is not None else claims_of(source, config.lexicon)
        out.append((None if given is not None else mine, pair(draft, claims, source, mine, config)))
    return out
