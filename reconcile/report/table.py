"""The terminal table: contradictions first, each with the evidence sentence of every source."""
from __future__ import annotations

import io
from typing import TYPE_CHECKING

from ..models import Claim, Finding, Report
from . import extracted_note, printable, source_label, summary_line

if TYPE_CHECKING:  # rich is imported when a table is drawn, not when reconcile is imported
    from rich.text import Text

STYLES = {"contradiction": "bold red", "update": "bold yellow", "difference": "yellow",
          "agreement": "green", "unique": "cyan"}
FIGURE_STYLE = "bold magenta"
EVIDENCE_CHARS = 220


def render_table(report: Report, color: bool = False, width: int | None = None, explain: bool = False) -> str:
    """The report as a table for a terminal of `width` columns (default 120), with or without colour."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    buffer = io.StringIO()
    # Everything that rich would otherwise guess from the environment (FORCE_COLOR, COLUMNS, TERM,
    # a Jupyter kernel) is given, so that the same report always gives the same string. Without a
    # height, rich ignores the width on a "dumb" terminal.
    console = Console(file=buffer, force_terminal=color, force_jupyter=False, force_interactive=False,
                      no_color=not color, color_system="standard" if color else None, width=width or 120,
                      height=25, highlight=False, emoji=False, markup=False)
    names = ", ".join(s.id if s.name == s.id else f"{s.id} ({s.name})" for s in report.sources)
    console.print(Text(printable("reconcile: " + names), style="bold"))
    note = extracted_note(report)
    if note:
        console.print(Text(note, style="dim"))
    labels = {s.id: source_label(s) for s in report.sources}
    table = Table(show_lines=True, expand=True)
    table.add_column("verdict", no_wrap=True)
    table.add_column("topic", ratio=1)
    table.add_column("summary", ratio=2)
    table.add_column("evidence", ratio=5)
    for finding in report.findings:
        verdict = Text(finding.verdict + (f"\n{finding.kind}" if finding.kind else ""),
                       style=STYLES.get(finding.verdict, ""))
        summary = printable(finding.summary)
        if explain:
            summary += f"\nscore {finding.score:g}; {printable(', '.join(finding.rules))}"
        # Text, not str: rich would read "[sic]" in a topic or summary as markup
        table.add_row(verdict, Text(printable(finding.topic)), Text(summary), _evidence(finding, labels))
    console.print(table)
    console.print(Text(summary_line(report, skip_zero=True, sources=False)))
    return buffer.getvalue()


def _evidence(finding: Finding, labels: dict[str, str]) -> Text:
    """One line per claim: where it is (file:line) and the sentence."""
    from rich.text import Text

    text = Text()
    for n, claim in enumerate(finding.claims):
        if n:
            text.append("\n")
        text.append(f"{printable(labels.get(claim.source_id, claim.source_id))}:{claim.sentence.line}", style="dim")
        text.append(" ")
        text.append_text(_sentence(claim))
    return text


def _sentence(claim: Claim) -> Text:
    """The sentence on one line, cut to a readable length, with its figures highlighted."""
    from rich.text import Text

    flat, at = _one_line(claim.sentence.text)
    limit = len(flat) if len(flat) <= EVIDENCE_CHARS else EVIDENCE_CHARS - 1
    text = Text(flat if limit == len(flat) else flat[:limit] + "\u2026")
    for q in claim.quantities:
        start, end = q.start - claim.sentence.start, q.end - claim.sentence.start
        if 0 <= start < end <= len(claim.sentence.text) and at[end] <= limit:  # a figure cut off is not shown
            text.stylize(FIGURE_STYLE, at[start], at[end])
    return text


def _one_line(text: str) -> tuple[str, list[int]]:
    """`text` with every line break as one space, and where each offset of `text` lands in it."""
    if "\r\n" not in text:  # nearly every sentence: each character stays where it is
        return printable(text), list(range(len(text) + 1))
    chars: list[str] = []
    at: list[int] = []
    for n, ch in enumerate(text):
        at.append(len(chars))
        if ch == "\r" and text[n + 1 : n + 2] == "\n":
            continue
        chars.append(ch)
    at.append(len(chars))
    return printable("".join(chars)), at
