"""Read the sources and pair each with the draft, in forked worker processes when it pays.

Each source is compared with the draft on its own (relate.pair), so the sources split between
processes with nothing to share: this process takes them from the first on, forked children
from the last one back, until they meet (forking.from_both_ends). Forked workers start in
milliseconds with everything this process has loaded and compiled; fork is used only on Linux
and only while this process runs no other thread but the progress bar's (see
forking.fork_is_safe). Otherwise, with fewer than FORK_MIN_SOURCES sources, or with
Config(jobs=1), the work is done here, as is a failed child's share. The result is the same
either way.
"""
from __future__ import annotations

from ..forking import cpu_jobs, each_of, fork_is_safe
from ..models import Claim, Source
from ..pipeline import Config, claims_of
from .relate import Pairing, pair

FORK_MIN_SOURCES = 16  # below this, a fork and the pickling back cost more than they save


def pair_all(draft: Source, claims: tuple[Claim, ...], sources: tuple[Source, ...],
             source_claims: dict[str, tuple[Claim, ...]] | None,
             config: Config) -> tuple[dict[str, tuple[Claim, ...]], dict[str, Pairing]]:
    """The sources' claims (read here unless given) and each source's Pairing with the draft."""
    work = (draft, claims, sources, source_claims, config)
    # This process pairs from the first source on, forked children from the last one back.
    done = each_of(len(sources), lambda i: _pair_one(work, i), _jobs(config.jobs, len(sources)))
    read = {s.id: mine for s, (mine, _) in zip(sources, done)}
    return source_claims or read, {s.id: pairing for s, (_, pairing) in zip(sources, done)}


def _jobs(asked: int, sources: int) -> int:
    if asked:
        return asked
    if sources < FORK_MIN_SOURCES or not fork_is_safe():
        return 1
    return cpu_jobs()


def _pair_one(work: tuple, index: int) -> tuple[tuple[Claim, ...], Pairing]:
    draft, claims, sources, source_claims, config = work
    source = sources[index]
    mine = source_claims[source.id] if source_claims else claims_of(source, config.lexicon)
    return mine, pair(draft, claims, source, mine, config)
