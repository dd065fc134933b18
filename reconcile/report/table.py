"""The terminal table: contradictions first, each with the evidence sentence of every source.

Evidence names a file by its path relative to the folder all the files share (named once under
the title), and never cuts a path or a line number: a word too long for its column is folded."""
from __future__ import annotations

import io
import os
from typing import TYPE_CHECKING

from ..models import Claim, Finding, Report
from . import extracted_note, printable, reprint_lines, source_label, summary_line

if TYPE_CHECKING:  # rich is imported when a table is drawn, not when reconcile is imported
    from rich.text import Text

STYLES = {"contradiction": "bold red", "update": "bold yellow", "difference": "yellow",
          "agreement": "green", "unique": "cyan"}
FIGURE_STYLE = "bold magenta"
EVIDENCE_CHARS = 220


# Under this many columns each finding is a block of lines instead of a row of four columns,
# whose evidence column would be too narrow for a path and a line number.
BLOCK_BELOW = 100
TOPIC_MIN_WIDTH = 14  # "cyberattack", "Norhaven" fit whole; a longer word is folded, not cut


def render_table(report: Report, color: bool = False, width: int | None = None, explain: bool = False) -> str:
    """The report for a terminal of `width` columns (default 120), with or without colour: a table
    from BLOCK_BELOW columns on, a block of lines per finding below that."""
    from rich.text import Text

    buffer = io.StringIO()
    console = _console(buffer, color, width or 120)
    names = ", ".join(s.id if s.name == s.id else f"{s.id} ({s.name})" for s in report.sources)
    console.print(Text(printable("reconcile: " + names), style="bold"))
    labels, folder = relative_labels(report)
    if folder:
        console.print(Text(printable(f"files in {folder}"), style="dim"))
    note = extracted_note(report)
    if note:
        console.print(Text(note, style="dim"))
    for line in reprint_lines(report):
        console.print(Text(printable(line), style="dim"))
    if console.width < BLOCK_BELOW:
        from .blocks import print_blocks

        print_blocks(console, report, labels, explain)
    else:
        console.print(_table(report, labels, explain))
    console.print(Text(summary_line(report, skip_zero=True, sources=False)))
    return buffer.getvalue()


def _console(buffer: io.StringIO, color: bool, width: int):
    from rich.console import Console

    # Everything that rich would otherwise guess from the environment (FORCE_COLOR, COLUMNS, TERM,
    # a Jupyter kernel) is given, so that the same report always gives the same string. Without a
    # height, rich ignores the width on a "dumb" terminal.
    return Console(file=buffer, force_terminal=color, force_jupyter=False, force_interactive=False,
                   no_color=not color, color_system="standard" if color else None, width=width,
                   height=25, highlight=False, emoji=False, markup=False)


def _table(report: Report, labels: dict[str, str], explain: bool):
    from rich.table import Table
    from rich.text import Text

    table = Table(show_lines=True, expand=True)
    table.add_column("verdict", no_wrap=True)
    longest = max((len(word) for f in report.findings for word in f.topic.split()), default=0)
    # for a column with a ratio, rich takes `width` as its least width
    table.add_column("topic", ratio=1, overflow="fold", width=min(longest, TOPIC_MIN_WIDTH) or None)
    table.add_column("summary", ratio=2, overflow="fold")
    table.add_column("evidence", ratio=5, overflow="fold")
    for finding in report.findings:
        verdict = Text(finding.verdict + (f"\n{finding.kind}" if finding.kind else ""),
                       style=STYLES.get(finding.verdict, ""))
        summary = printable(finding.summary)
        if explain:
            summary += "\n" + explain_line(finding)
        # Text, not str: rich would read "[sic]" in a topic or summary as markup
        table.add_row(verdict, Text(printable(finding.topic)), Text(summary), _evidence(finding, labels))
    return table


def explain_line(finding: Finding) -> str:
    """What --explain adds: the alignment score where one grouped the claims, and the rules."""
    rules = printable(", ".join(finding.rules)) or "no rules"
    if finding.alignment_score is None:
        return rules
    return f"score {finding.alignment_score:g}; {rules}"


def relative_labels(report: Report) -> tuple[dict[str, str], str]:
    """How evidence names each source, with file paths relative to the folder they share, and that
    folder ("" when they share none but the working directory or the root)."""
    labels = {s.id: source_label(s) for s in report.sources}
    files = {s.id: s.path for s in report.sources if s.path and labels[s.id] == s.path and "://" not in s.path}
    if not files:
        return labels, ""
    folder = os.path.commonpath([os.path.dirname(os.path.abspath(p)) for p in files.values()])
    if folder == os.path.dirname(folder):  # the root: nothing shared worth naming
        return labels, ""
    for sid, path in files.items():
        labels[sid] = os.path.relpath(os.path.abspath(path), folder)
    shown = os.path.relpath(folder) if _inside(folder, os.getcwd()) else folder
    return labels, "" if shown == "." else shown.rstrip(os.sep) + os.sep


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


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
