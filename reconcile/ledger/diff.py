"""What changed between two runs of a story: pure functions of their records."""
from __future__ import annotations

from dataclasses import dataclass

from ..models import VERDICTS
from .model import FindingRecord, Run, SourceRecord
from .records import is_revision

# What --fail-on can watch, and `any`/`never`.
WATCHES = ("contradiction", "update", "agreement", "figure", "finding", "source")
FAIL_ON = WATCHES + ("any", "never")


@dataclass(frozen=True)
class Moved:
    """A finding whose verdict moved: a contradiction that became an agreement after a correction."""

    fact_id: str
    topic: str
    before: str  # verdict, with its kind: "contradiction (numeric)"
    after: str
    verdict: str  # the verdict now


@dataclass(frozen=True)
class Figure:
    """One source's value of a fact, before and after ("wire: death toll 4 -> 6")."""

    fact_id: str
    topic: str
    source: str
    before: str
    after: str


@dataclass(frozen=True)
class Changes:
    """Everything that changed from run `before` (None: nothing recorded yet) to run `after`."""

    story: str
    before: int | None
    after: int
    before_at: str | None = None
    after_at: str = ""
    new: tuple[FindingRecord, ...] = ()
    gone: tuple[FindingRecord, ...] = ()
    moved: tuple[Moved, ...] = ()
    figures: tuple[Figure, ...] = ()
    sources_new: tuple[SourceRecord, ...] = ()
    sources_gone: tuple[SourceRecord, ...] = ()
    sources_edited: tuple[SourceRecord, ...] = ()  # as the later run read them

    @property
    def empty(self) -> bool:
        return not (self.new or self.gone or self.moved or self.figures or self.sources_new or self.sources_gone
                    or self.sources_edited)

    def watched(self, fail_on: tuple[str, ...]) -> bool:
        """Whether anything changed that one of `fail_on` watches (see FAIL_ON)."""
        for watch in fail_on:
            if watch == "any" and not self.empty:
                return True
            if watch in ("contradiction", "update", "agreement") and (
                    any(f.verdict == watch for f in self.new) or any(m.verdict == watch for m in self.moved)):
                return True
            if watch == "figure" and self.figures:
                return True
            if watch == "finding" and (self.new or self.gone or self.moved):
                return True
            if watch == "source" and (self.sources_new or self.sources_gone or self.sources_edited):
                return True
        return False

    def to_dict(self) -> dict:
        def finding(f: FindingRecord) -> dict:
            return {"id": f.fact_id, "verdict": f.verdict, "kind": f.kind, "topic": f.topic, "summary": f.summary,
                    "sources": list(f.sources)}

        def source(s: SourceRecord) -> dict:
            return {"id": s.id, "name": s.name, "path": s.path, "url": s.url, "date": s.date, "sha256": s.text_hash}

        return {
            "schema": "reconcile.changes/1",
            "story": self.story,
            "before": None if self.before is None else {"run": self.before, "at": self.before_at},
            "after": {"run": self.after, "at": self.after_at},
            "findings": {"new": [finding(f) for f in self.new], "gone": [finding(f) for f in self.gone],
                         "moved": [{"id": m.fact_id, "topic": m.topic, "before": m.before, "after": m.after}
                                   for m in self.moved]},
            "figures": [{"id": f.fact_id, "topic": f.topic, "source": f.source, "before": f.before, "after": f.after}
                        for f in self.figures],
            "sources": {"new": [source(s) for s in self.sources_new], "gone": [source(s) for s in self.sources_gone],
                        "edited": [source(s) for s in self.sources_edited]},
            "changed": not self.empty,
        }


def _verdict(f: FindingRecord) -> str:
    return f.verdict + (f" ({f.kind})" if f.kind else "")


def diff(before: Run | None, after: Run) -> Changes:
    """The changes from `before` to `after`; diff(run, run) is empty, whatever order either lists things in."""
    old = {f.fact_id: f for f in (before.findings if before else ())}
    new = {f.fact_id: f for f in after.findings}
    moved, figures = [], []
    for fid in sorted(old.keys() & new.keys()):
        a, b = old[fid], new[fid]
        if (a.verdict, a.kind) != (b.verdict, b.kind):
            moved.append(Moved(fid, b.topic, _verdict(a), _verdict(b), b.verdict))
        if is_revision(b.topic, b.summary):
            continue  # the update beside a contradicted fact repeats the fact's values
        was, now = a.values_by_source(), b.values_by_source()
        figures += [Figure(fid, b.topic, sid, was[sid], now[sid]) for sid in sorted(was.keys() & now.keys())
                    if was[sid] != now[sid]]
    old_sources = {s.id: s for s in (before.sources if before else ())}
    new_sources = {s.id: s for s in after.sources}
    return Changes(
        story=after.story, before=before.number if before else None, after=after.number,
        before_at=before.at if before else None, after_at=after.at,
        new=tuple(new[f] for f in sorted(new.keys() - old.keys(), key=lambda f: _order(new[f]))),
        gone=tuple(old[f] for f in sorted(old.keys() - new.keys(), key=lambda f: _order(old[f]))),
        moved=tuple(moved), figures=tuple(figures),
        sources_new=tuple(new_sources[s] for s in sorted(new_sources.keys() - old_sources.keys())),
        sources_gone=tuple(old_sources[s] for s in sorted(old_sources.keys() - new_sources.keys())),
        sources_edited=tuple(new_sources[s] for s in sorted(old_sources.keys() & new_sources.keys())
                             if old_sources[s].text_hash != new_sources[s].text_hash),
    )


def _order(f: FindingRecord) -> tuple:
    """Contradictions first, as the report orders them; then by topic and id."""
    return (VERDICTS.index(f.verdict) if f.verdict in VERDICTS else len(VERDICTS), f.topic, f.fact_id)
