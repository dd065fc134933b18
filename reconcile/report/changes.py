"""`changes` and `history` as a table or JSON: what a story's ledger says."""
from __future__ import annotations

import io

from ..ledger import Changes, RunInfo
from ..models import VERDICTS
from . import printable
from .jsontext import dumps

HISTORY_WIDTH = 120


def _console(width: int | None):
    from rich.console import Console

    buffer = io.StringIO()
    # Everything rich would guess from the environment is given: the same ledger, the same text.
    return buffer, Console(file=buffer, force_terminal=False, force_jupyter=False, force_interactive=False,
                           width=width or 100, height=25, color_system=None, legacy_windows=False)


def change_rows(changes: Changes) -> list[tuple[str, str, str]]:
    """(change, what, detail) rows: sources first, then findings, then figures."""
    rows = [("new source", s.id, s.name if s.name != s.id else (s.path or s.url or "")) for s in changes.sources_new]
    rows += [("gone source", s.id, s.name if s.name != s.id else (s.path or s.url or "")) for s in changes.sources_gone]
    rows += [("edited source", s.id, "text changed") for s in changes.sources_edited]
    rows += [(f"new {f.verdict}", f.topic, f.summary) for f in changes.new]
    rows += [(f"gone {f.verdict}", f.topic, f.summary) for f in changes.gone]
    rows += [("verdict moved", m.topic, f"{m.before} → {m.after}") for m in changes.moved]
    rows += [("figure changed", f.topic, f"{f.source}: {f.before} → {f.after}") for f in changes.figures]
    return rows


def render_changes(changes: Changes, fmt: str = "table", width: int | None = None) -> str:
    if fmt == "json":
        return dumps(changes.to_dict()) + "\n"
    from rich.table import Table
    from rich.text import Text

    buffer, console = _console(width)
    before = f"run {changes.before} ({changes.before_at})" if changes.before is not None else "nothing recorded"
    console.print(Text(printable(f"{changes.story}: {before} → run {changes.after} ({changes.after_at})"),
                       style="bold"))
    rows = change_rows(changes)
    if rows:
        table = Table(show_lines=False)
        for column in ("change", "what", "detail"):
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*(printable(cell) for cell in row))
        console.print(table)
    console.print(f"{len(rows)} change{'s' if len(rows) != 1 else ''}" if rows else "no changes")
    return buffer.getvalue()


def render_history(story: str, runs: list[RunInfo], fmt: str = "table", width: int | None = None) -> str:
    if fmt == "json":
        return dumps({"schema": "reconcile.history/1", "story": story,
                      "runs": [{"run": r.number, "at": r.at, "version": r.version, "sources": r.sources,
                                "summary": dict(r.counts)} for r in runs]}) + "\n"
    from rich.table import Table

    # Nine columns: a run reads on one line from 120 on; a narrower table would cut the times.
    buffer, console = _console(max(width or 0, HISTORY_WIDTH))
    table = Table(title=printable(story))
    for column in ("run", "recorded", "sources", *VERDICTS, "version"):
        table.add_column(column, justify="right" if column not in ("recorded", "version") else "left")
    for r in runs:
        counts = dict(r.counts)
        table.add_row(str(r.number), r.at, str(r.sources), *(str(counts.get(v, 0)) for v in VERDICTS), r.version)
    console.print(table)
    return buffer.getvalue()
