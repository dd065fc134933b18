"""Follow a story over days: each run's sources and findings in a ledger, and what changed since.

    run = snapshot("kyiv-strikes", report, sources, config)   # pure: compute first ...
    with Ledger(path) as ledger:
        ledger.record(run)                                    # ... write last, in one transaction
        changes = changes_since(ledger, "kyiv-strikes")

`diff(before, after)` is a pure function of two runs' records (ledger/diff.py); fact ids stay the
same across runs while the fact does (ledger/records.py); the SQLite store is ledger/store.py.
"""
from __future__ import annotations

from datetime import datetime, timezone

from .diff import FAIL_ON, WATCHES, Changes, Figure, Moved, diff
from .model import FindingRecord, Run, RunInfo, SourceRecord
from .records import fact_key, finding_records, settings_json, source_records
from .store import Ledger, LedgerError, check_ledger, check_story, default_path

__all__ = ["FAIL_ON", "WATCHES", "Changes", "Figure", "FindingRecord", "Ledger", "LedgerError", "Moved", "Run", "check_ledger",
           "RunInfo", "SourceRecord", "changes_since", "check_story", "default_path", "diff", "fact_key",
           "finding_records", "now", "snapshot"]


def now() -> str:
    """The current time in reconcile's one date form."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def snapshot(story: str, report, sources, config, at: str | None = None, fetched: str | None = None) -> Run:
    """The run to record: the report's findings under stable ids, every source read (reprints too,
    marked with the source they were counted as), the settings and reconcile's version."""
    from .. import __version__

    at = at or now()
    reprint_of = {r: group.source for group in report.reprints for r in group.reprints}
    return Run(story=check_story(story), at=at, version=__version__, settings=settings_json(config),
               sources=source_records(tuple(sources), fetched or at, reprint_of),
               findings=finding_records(report))


def changes_since(ledger: Ledger, story: str, since: str | None = None) -> Changes:
    """From the run before the latest (or the last run recorded at or before `since`, a time in
    reconcile's one form) to the latest run. With nothing before it, everything is new."""
    numbers = ledger.numbers(story)
    latest = numbers[-1][0]
    if since is None:
        base = numbers[-2][0] if len(numbers) > 1 else None
    else:
        earlier = [number for number, at in numbers if at <= since]
        base = earlier[-1] if earlier else None
    after = ledger.load(story, latest)
    return diff(ledger.load(story, base) if base is not None else None, after)
