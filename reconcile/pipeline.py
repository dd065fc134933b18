"""The whole pipeline in order: ingest -> clean -> segment -> claims -> align -> judge -> report.

Each stage is a function of plain data; this module runs them in order and is, with
execution.py, the edge where a run uses several processes: sources are read (clean, segment,
claims) in chunks on a process pool when there are many, and blocking's array work gets a thread
per CPU. See ARCHITECTURE.md.
"""
from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field, replace
from typing import Callable, Iterable, Union

from .align import AlignOptions, align
from .claims import extract_claims
from .clean import clean
from .errors import InputError
from .execution import aside, cpu_jobs, cpus, fewer_collections, fork_is_safe, map_chunks
from .ingest import DEFAULT_MAX_BYTES, Trust, load_sources, text_source
from .judge import JudgeOptions, judge
from .support.lexicon import DEFAULT, Lexicon
from .models import Claim, Report, Source, SourceSummary
from .segment import segment

SourceLike = Union[str, os.PathLike, Source]
Progress = Callable[[str, int, int], None]  # (stage, done, total): see compare_sources


@dataclass(frozen=True)
class Config:
    """Everything that tunes a run; the CLI builds one from options and config files."""

    lexicon: Lexicon = DEFAULT
    align: AlignOptions = field(default_factory=AlignOptions)
    judge: JudgeOptions = field(default_factory=JudgeOptions)
    dates: tuple[tuple[str, str], ...] = ()  # (source id, ISO date) given on the command line
    # Processes that read the sources (clean, segment, claims) at once. 0: one per CPU (at most 8)
    # when the sources hold at least FORK_MIN_CHARS of text and the workers can be forked (Linux,
    # no other thread running but the progress bar's); never spawned unasked, since spawning
    # re-runs a calling script that lacks an `if __name__ == "__main__"` guard. 1: read here.
    # N: N processes, forked when that is safe, spawned otherwise (the CLI passes N, its entry
    # point being guarded).
    jobs: int = 0
    # Copies of one article (a wire story that several outlets print) are compared as one source,
    # the others listed as its reprints (reconcile/reprints.py); True compares every copy.
    keep_reprints: bool = False


# Reading takes about 2 s a megabyte. A forked worker starts in milliseconds and pays from about 30
# articles on; a spawned one costs about 0.4 s (Python, imports, lexicons), so only from a megabyte.
FORK_MIN_CHARS = 100_000
PARALLEL_MIN_CHARS = 1_000_000
MAX_THREADS = 4  # blocking's array work: numpy lets go of the interpreter lock in its loops


def to_sources(items: Iterable[SourceLike], stdin: bytes | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES,
               timeout: float | None = None, trust: Trust = Trust()) -> tuple[Source, ...]:
    """Paths, URLs, manifests, "-", Source objects or raw texts (a string with a line break is text) as Sources."""
    given: list[Source] = []
    paths: list[str] = []
    for n, item in enumerate(items, start=1):
        if isinstance(item, Source):
            given.append(item)
        elif isinstance(item, str) and ("\n" in item or len(item) > 4096):
            given.append(text_source(item, f"text{n}"))
        else:
            paths.append(os.fspath(item))
    loaded = load_sources(paths, stdin, max_bytes=max_bytes, timeout=timeout, trust=trust) if paths else ()
    sources = tuple(sorted(given + list(loaded), key=lambda s: s.id))
    ids = [s.id for s in sources]
    if len(set(ids)) != len(ids):
        duplicate = next(i for i in ids if ids.count(i) > 1)
        raise InputError(duplicate, "two sources have the same id")
    return sources


def claims_of(source: Source, lexicon: Lexicon = DEFAULT) -> tuple[Claim, ...]:
    """clean -> segment -> claims for one source."""
    sentences = segment(clean(source, lexicon), lexicon)
    return extract_claims(source, sentences, lexicon)


def compare_sources(sources: tuple[Source, ...], config: Config = Config(),
                    progress: Progress | None = None) -> Report:
    """Compare already loaded sources.

    `progress(stage, done, total)`, if given, is called as the run advances: "claims" once before
    the first source and once after each (done = sources read), then "align" and "judge" with
    0 of 1 when they start and 1 of 1 when they end. It must be cheap; it may raise to abort.
    """
    with fewer_collections():
        return _compare_sources(sources, config, progress or _silent)


def _compare_sources(sources: tuple[Source, ...], config: Config, tell: Progress) -> Report:
    if len(sources) < 2:
        where = sources[0].path or sources[0].id if sources else "input"
        raise InputError(where, "need at least two sources to compare")
    dated = dict(config.dates)
    sources = tuple(sorted((_with_date(s, dated.get(s.id)) for s in sources), key=lambda s: s.id))
    sources, reprints = fold(sources, config)
    per_source = _read_all(sources, config, tell)
    all_claims = tuple(c for s in sources for c in per_source[s.id])
    tell("align", 0, 1)
    groups = align(all_claims, with_threads(config.align))
    tell("align", 1, 1)
    tell("judge", 0, 1)
    findings = judge(groups, sources, config.judge, lexicon=config.lexicon,
                     aside=aside if _judge_facts_aside(config, len(all_claims)) else None)
    tell("judge", 1, 1)
    summaries = tuple(
        SourceSummary(id=s.id, name=s.name, path=s.path, sentences=len(per_source[s.id]),
                      claims=sum(1 for c in per_source[s.id] if c.checkable), date=s.date,
                      url=s.url, kind=s.kind, weight=s.weight)
        for s in sources
    )
    events = sorted({s.event for s in sources if s.event})
    return Report(sources=summaries, findings=findings, event="; ".join(events) or None, reprints=reprints)


def fold(sources: tuple[Source, ...], config: Config, min_left: int = 2) -> tuple[tuple[Source, ...], tuple]:
    """(the sources to compare, the reprint groups): wire copies folded into the copy kept,
    unless config.keep_reprints or fewer than `min_left` sources would be left (copies and
    nothing else: what they share is all there is to compare). `check` keeps one: a lone
    source that copies are of backs a draft well enough."""
    if config.keep_reprints:
        return sources, ()
    from .reprints import fold_reprints

    kept, groups = fold_reprints(sources)
    if len(kept) < min_left:
        return sources, ()
    return kept, groups


def with_threads(options: AlignOptions) -> AlignOptions:
    """`options` with blocking's threads set (one per CPU, up to MAX_THREADS) unless chosen already."""
    return options if options.threads else replace(options, threads=min(cpus(), MAX_THREADS))


def compare(paths_or_texts: Iterable[SourceLike], config: Config | None = None) -> Report:
    """Compare two or more articles (paths, directories, Sources or texts) and return the Report."""
    return compare_sources(to_sources(paths_or_texts), config or Config())


def _read_all(sources: tuple[Source, ...], config: Config, tell: Progress) -> dict[str, tuple[Claim, ...]]:
    """clean -> segment -> claims for every source, on a process pool when there are many."""
    per_source: dict[str, tuple[Claim, ...]] = {}
    tell("claims", 0, len(sources))
    jobs = config.jobs or (auto_jobs(sources) if fork_is_safe() else 1)
    chunks = _chunks(sources, jobs)
    for index, claims in map_chunks(functools.partial(_claims_of_chunk, lexicon=config.lexicon), chunks, jobs):
        per_source.update(zip((s.id for s in chunks[index]), claims))
        tell("claims", len(per_source), len(sources))
    return per_source


# A run's facts are judged in a forked child, beside the groups' verdicts, from this many claims:
# below it the fork costs more than it saves.
FACTS_ASIDE_MIN_CLAIMS = 3_000


def _judge_facts_aside(config: Config, claims: int) -> bool:
    return config.jobs != 1 and claims >= FACTS_ASIDE_MIN_CLAIMS and cpus() >= 2


def auto_jobs(sources: tuple[Source, ...]) -> int:
    """How many processes should read these sources: one per CPU (up to 8) from FORK_MIN_CHARS of
    text on where they can be forked, from PARALLEL_MIN_CHARS where they must be spawned; else 1."""
    if sum(len(s.text) for s in sources) < (FORK_MIN_CHARS if fork_is_safe() else PARALLEL_MIN_CHARS):
        return 1
    return cpu_jobs()


CHUNKS_PER_JOB = 16  # small chunks: neither this process nor a worker waits long for the other at the end


def _chunks(sources: tuple[Source, ...], jobs: int) -> list[tuple[Source, ...]]:
    if jobs < 2:
        return [(s,) for s in sources]  # read here one by one: progress after each
    size = max(1, -(-len(sources) // (jobs * CHUNKS_PER_JOB)))
    return [sources[i:i + size] for i in range(0, len(sources), size)]


def _claims_of_chunk(chunk: tuple[Source, ...], lexicon: Lexicon) -> list[tuple[Claim, ...]]:
    return [claims_of(source, lexicon) for source in chunk]


def _silent(stage: str, done: int, total: int) -> None:
    """The progress callback of a run nobody watches."""


def _with_date(source: Source, date: str | None) -> Source:
    if date is None:
        return source
    return replace(source, date=date)
