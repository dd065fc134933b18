"""The terminal table: contradictions first, each with the evidence sentence of every source."""
from __future__ import annotations

import io

from ..models import Claim, Finding, Report

STYLES = {"contradiction": "bold red", "update": "bold yellow", "difference": "yellow",
          "agreement": "green", "unique": "cyan"}
EVIDENCE_CHARS = 220


def render_table(report: Report, color: bool = False, width: int | None = None, explain: bool = False) -> str:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, width=width or 120,
                      color_system="standard" if color else None, highlight=False, emoji=False)
    paths = {s.id: s.path or "<stdin>" for s in report.sources}
    console.print(Text("reconcile: " + ", ".join(f"{s.id} ({s.name})" for s in report.sources), style="bold"))
    table = Table(show_lines=True, expand=True)
    table.add_column("verdict", no_wrap=True)
    table.add_column("topic", ratio=1)
    table.add_column("summary", ratio=2)
    table.add_column("evidence", ratio=5)
    for finding in report.findings:
        verdict = Text(finding.verdict + (f"\n{finding.kind}" if finding.kind else ""), style=STYLES.get(finding.verdict, ""))
        summary = finding.summary + (f"\nscore {finding.score:g}; {', '.join(finding.rules)}" if explain else "")
        table.add_row(verdict, finding.topic, summary, _evidence(finding, paths, Text))
    console.print(table)
    counts = report.summary()
    console.print(", ".join(f"{n} {v}{'s' if n != 1 else ''}" for v, n in counts.items() if n or v in ("contradiction", "agreement")))
    return buffer.getvalue()


def _evidence(finding: Finding, paths: dict[str, str], Text) -> "Text":  # noqa: F821 (rich is imported lazily)
    text = Text()
    for n, claim in enumerate(finding.claims):
        if n:
            text.append("\n")
        text.append(f"{paths[claim.source_id]}:{claim.sentence.line}", style="dim")
        text.append(" ")
        text.append_text(_sentence(claim, Text))
    return text


def _sentence(claim: Claim, Text) -> "Text":  # noqa: F821 (rich is imported lazily)
    """The sentence, cut to a readable length, with its figures highlighted."""
    sentence = claim.sentence.text.replace("\n", " ")
    shown = sentence if len(sentence) <= EVIDENCE_CHARS else sentence[: EVIDENCE_CHARS - 1] + "\u2026"
    text = Text(shown)
    for q in claim.quantities:
        start, end = q.start - claim.sentence.start, q.end - claim.sentence.start
        if end <= len(shown):
            text.stylize("bold magenta", start, end)
    return text
