"""The whole pipeline in order: ingest -> clean -> segment -> claims -> align -> judge -> report."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Iterable, Union

from .align import AlignOptions, align
from .claims import extract_claims
from .clean import clean
from .errors import InputError
from .ingest import DEFAULT_MAX_BYTES, load_sources, text_source
from .judge import JudgeOptions, judge
from .lexicon import DEFAULT, Lexicon
from .models import Claim, Report, Source, SourceSummary
from .segment import segment

SourceLike = Union[str, os.PathLike, Source]


@dataclass(frozen=True)
class Config:
    """Everything that tunes a run; the CLI builds one from options and config files."""

    lexicon: Lexicon = DEFAULT
    align: AlignOptions = field(default_factory=AlignOptions)
    judge: JudgeOptions = field(default_factory=JudgeOptions)
    dates: tuple[tuple[str, str], ...] = ()  # (source id, ISO date) given on the command line


def to_sources(items: Iterable[SourceLike], stdin: bytes | None = None, *,
               max_bytes: int = DEFAULT_MAX_BYTES, timeout: float | None = None) -> tuple[Source, ...]:
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
    loaded = load_sources(paths, stdin, max_bytes=max_bytes, timeout=timeout) if paths else ()
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


def compare_sources(sources: tuple[Source, ...], config: Config = Config()) -> Report:
    """Compare already loaded sources."""
    if len(sources) < 2:
        where = sources[0].path or sources[0].id if sources else "input"
        raise InputError(where, "need at least two sources to compare")
    dated = dict(config.dates)
    sources = tuple(sorted((_with_date(s, dated.get(s.id)) for s in sources), key=lambda s: s.id))
    per_source = {s.id: claims_of(s, config.lexicon) for s in sources}
    all_claims = tuple(c for s in sources for c in per_source[s.id])
    groups = align(all_claims, config.align)
    findings = judge(groups, sources, config.judge)
    summaries = tuple(
        SourceSummary(id=s.id, name=s.name, path=s.path, sentences=len(per_source[s.id]),
                      claims=sum(1 for c in per_source[s.id] if c.checkable), date=s.date,
                      url=s.url, kind=s.kind, weight=s.weight)
        for s in sources
    )
    events = sorted({s.event for s in sources if s.event})
    return Report(sources=summaries, findings=findings, event="; ".join(events) or None)


def compare(paths_or_texts: Iterable[SourceLike], config: Config | None = None) -> Report:
    """Compare two or more articles (paths, directories, Sources or texts) and return the Report."""
    return compare_sources(to_sources(paths_or_texts), config or Config())


def _with_date(source: Source, date: str | None) -> Source:
    if date is None:
        return source
    from dataclasses import replace

    return replace(source, date=date)
