"""The plain records a ledger keeps of a run: what was read, what was found, with what settings."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SourceRecord:
    """One source as a run read it: enough to tell a new, gone or edited source next time."""

    id: str
    name: str
    text_hash: str  # sha256 of the decoded text: an outlet that revises its story changes it
    fetched: str  # when the run read it (UTC, reconcile's one date form)
    path: str | None = None
    url: str | None = None
    date: str | None = None
    kind: str = "text"
    reprint_of: str | None = None  # the source it was counted as (a wire copy), if any


@dataclass(frozen=True)
class FindingRecord:
    """One finding, under an id that stays the same across runs while its fact does."""

    fact_id: str
    verdict: str
    kind: str | None
    topic: str
    summary: str
    confidence: float
    sources: tuple[str, ...]  # the source ids it cites, sorted
    values: tuple[tuple[str, str], ...] = ()  # (source id, value as the summary reads it), for a fact

    def values_by_source(self) -> dict[str, str]:
        """Each source's value; a source with several values of one fact reads them joined."""
        out: dict[str, list[str]] = {}
        for source, value in self.values:
            out.setdefault(source, [])
            if value not in out[source]:
                out[source].append(value)
        return {source: ", ".join(values) for source, values in out.items()}


@dataclass(frozen=True)
class Run:
    """What one `track` recorded. `number` counts the story's runs from 1; 0 before it is stored."""

    story: str
    at: str  # when the run was recorded (UTC)
    version: str  # reconcile's version
    settings: str  # the settings of the run, as canonical JSON
    sources: tuple[SourceRecord, ...]
    findings: tuple[FindingRecord, ...]
    number: int = 0


@dataclass(frozen=True)
class RunInfo:
    """A run as `history` lists it."""

    number: int
    at: str
    version: str
    sources: int
    counts: tuple[tuple[str, int], ...] = ()  # (verdict, findings), in the report's verdict order
