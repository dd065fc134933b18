"""The terminal report under table.BLOCK_BELOW columns: a block of lines per finding.

    contradiction numeric · deaths
      deaths: at least 4 (wire) vs 7 (stdin)
      stdin:2
          Seven people died | the mayor called it "a massacre [sic]" on Monday.

The verdict, its kind and the topic head the block, the summary follows, then each claim's
file:line on a line of its own (folded, never cut, should it be wider than the terminal) and its
sentence wrapped beneath it. Blocks are separated by a rule.
"""
from __future__ import annotations

from ..models import Report
from . import printable
from .table import STYLES, _sentence, explain_line

SUMMARY_INDENT = 2
SENTENCE_INDENT = 6


def print_blocks(console, report: Report, labels: dict[str, str], explain: bool) -> None:
    from rich.rule import Rule
    from rich.text import Text

    for n, finding in enumerate(report.findings):
        console.print(Rule(style="dim", characters="─"))
        head = Text(finding.verdict, style=STYLES.get(finding.verdict, ""))
        if finding.kind:
            head.append(f" {finding.kind}", style=STYLES.get(finding.verdict, ""))
        head.append(" \u00b7 ")
        head.append(printable(finding.topic), style="bold")
        head.overflow = "fold"
        console.print(head)
        summary = printable(finding.summary) + ("\n" + explain_line(finding) if explain else "")
        _indented(console, Text(summary), SUMMARY_INDENT)
        for claim in finding.claims:
            where = f"{printable(labels.get(claim.source_id, claim.source_id))}:{claim.sentence.line}"
            _indented(console, Text(where, style="dim"), SUMMARY_INDENT)
            _indented(console, _sentence(claim), SENTENCE_INDENT)
    if report.findings:
        console.print(Rule(style="dim", characters="─"))


def _indented(console, text, indent: int) -> None:
    """`text` wrapped to the console's width less `indent`, each line indented, none padded with
    spaces; a word wider than that is folded onto the next line, never cut."""
    from rich.text import Text

    for line in text.wrap(console, max(console.width - indent, 1), overflow="fold"):
        line.rstrip()
        console.print(Text(" " * indent).append_text(line))
