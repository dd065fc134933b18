"""Formatters for `reconcile check`: a terminal table, Markdown for a pull-request comment, and the
formats CI systems read: GitHub workflow commands and GitLab Code Quality here, SARIF 2.1.0, JUnit
XML and reviewdog's rdjson in scanning.py. JSON is the report contract, as for `compare`.

Each takes a `reconcile.check.CheckReport`. Lines are 1-based; columns count characters except
in rdjson, which counts UTF-8 bytes; every end column is one past the last character.
"""
from __future__ import annotations

import hashlib
import io
from typing import TYPE_CHECKING, Mapping

from . import Formatter, HtmlFormatter, JsonFormatter, _code, _md, jsontext, printable
from .issue_text import (TOOL, counts_line, cut, display_path, evidence_lines, evidence_of, message, paths_of, rule_id,
                         title)
from .scanning import RULES, JunitFormatter, RdjsonFormatter, SarifFormatter

if TYPE_CHECKING:  # the check package loads the pipeline; formatters need only its data
    from ..check.model import CheckReport

__all__ = ["CHECK_FORMATS", "RULES", "render_check", "display_path"]


# --- terminal and review formats ----------------------------------------------------------------

class CheckTableFormatter(Formatter):
    """Issues grouped by draft, each with its place, severity, verdict, summary and evidence."""

    name = "table"
    STYLES = {"error": "bold red", "warning": "yellow"}

    def render(self, report: CheckReport) -> str:
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        buffer = io.StringIO()
        console = Console(file=buffer, force_terminal=self.color, force_jupyter=False, force_interactive=False,
                          no_color=not self.color, color_system="standard" if self.color else None,
                          width=self.width or 120, height=25, highlight=False, emoji=False, markup=False)
        paths = paths_of(report)
        sources = [s.id for s in report.sources if s.id not in report.drafts]
        for draft in report.drafts:
            console.print(Text(printable(f"reconcile check: {display_path(paths.get(draft), draft)} against "
                                         + ", ".join(sources)), style="bold"))
            issues = [i for i in report.issues if i.draft == draft]
            if not issues:
                console.print(Text("no findings"))
                continue
            table = Table(show_lines=True, expand=True)
            table.add_column("line", no_wrap=True)
            table.add_column("severity", no_wrap=True)
            table.add_column("finding", ratio=2)
            table.add_column("evidence", ratio=5)
            for issue in issues:
                where = f"{issue.location.line}:{issue.location.column}" if issue.verdict != "omitted" else "-"
                verdict = issue.verdict + (f"\n{issue.finding.kind}" if issue.finding.kind else "")
                summary = printable(issue.finding.summary)
                if self.explain:
                    summary += f"\n{printable(', '.join(issue.finding.rules))}"
                evidence = Text()
                if issue.verdict != "omitted":
                    evidence.append("draft: ", style="bold")
                    evidence.append(cut(issue.claim.sentence.text, 240))
                for line in evidence_lines(issue, paths):
                    evidence.append(("\n" if evidence else "") + line)
                table.add_row(where, Text(issue.severity, style=self.STYLES[issue.severity]),
                              Text(verdict + "\n" + summary), evidence)
            console.print(table)
        console.print(Text(counts_line(report)))
        return buffer.getvalue()


class CheckMarkdownFormatter(Formatter):
    """A comment for a pull request: one table per draft, errors first."""

    name = "markdown"

    def render(self, report: CheckReport) -> str:
        paths = paths_of(report)
        lines = ["## reconcile check", ""]
        for draft in report.drafts:
            issues = [i for i in report.issues if i.draft == draft]
            shown = display_path(paths.get(draft), draft)
            lines += [f"### {_code(shown)}", ""]
            if not issues:
                lines += ["No findings.", ""]
                continue
            lines += ["| | line | finding | draft | sources |", "|---|---|---|---|---|"]
            for issue in sorted(issues, key=lambda i: (i.severity != "error", i.location.line)):
                mark = ":x:" if issue.severity == "error" else ":warning:"
                line = str(issue.location.line) if issue.verdict != "omitted" else ""
                finding = f"**{_md(rule_id(issue))}** {_md(issue.finding.summary)}"
                draft_text = "" if issue.verdict == "omitted" else _md(cut(issue.claim.sentence.text))
                evidence = "<br>".join(
                    _code(f"{display_path(paths.get(c.source_id), c.source_id)}:{c.sentence.line}") + " "
                    + _md(cut(c.sentence.text)) for c in evidence_of(issue))
                lines.append(f"| {mark} | {line} | {finding} | {draft_text} | {evidence} |")
            lines.append("")
        lines += [counts_line(report), ""]
        return "\n".join(lines)


# --- CI formats ----------------------------------------------------------------------------------

class GithubFormatter(Formatter):
    """GitHub Actions workflow commands: each issue becomes an annotation on the draft's lines."""

    name = "github"

    def render(self, report: CheckReport) -> str:
        paths = paths_of(report)
        out = []
        for issue in report.issues:
            loc = issue.location
            props = {"file": display_path(loc.path), "line": loc.line, "col": loc.column, "endLine": loc.end_line,
                     "endColumn": loc.end_column, "title": title(issue)}
            if issue.verdict == "omitted":
                props = {"file": props["file"], "line": 1, "title": props["title"]}
            rendered = ",".join(f"{key}={_escape_property(str(value))}" for key, value in props.items())
            out.append(f"::{issue.severity} {rendered}::{_escape_data(message(issue, paths))}\n")
        return "".join(out)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


class GitlabFormatter(Formatter):
    """GitLab Code Quality: a JSON array of issues with a fingerprint, a severity and the lines."""

    name = "gitlab"
    SEVERITY = {"error": "major", "warning": "minor"}

    def render(self, report: CheckReport) -> str:
        paths = paths_of(report)
        out = []
        for issue in report.issues:
            path = display_path(issue.location.path)
            severity = "critical" if issue.verdict == "contradiction" else self.SEVERITY[issue.severity]
            out.append({
                "type": "issue",
                "check_name": f"{TOOL}/{rule_id(issue)}",
                "description": cut(message(issue, paths).replace("\n", " | "), 1000),
                "content": {"body": message(issue, paths)},
                "categories": ["Bug Risk"],
                "fingerprint": hashlib.sha256(f"{path}\x1f{issue.fingerprint}".encode()).hexdigest(),
                "severity": severity,
                "location": {"path": path, "lines": {"begin": issue.location.line, "end": issue.location.end_line}},
            })
        return jsontext.dumps(out) + "\n"


CHECK_FORMATS: dict[str, type[Formatter]] = {
    cls.name: cls for cls in (CheckTableFormatter, JsonFormatter, CheckMarkdownFormatter, GithubFormatter,
                              GitlabFormatter, SarifFormatter, JunitFormatter, RdjsonFormatter, HtmlFormatter)
}


def render_check(report: CheckReport, fmt: str, color: bool = False, explain: bool = False,
                 width: int | None = None, texts: Mapping[str, str] | None = None) -> str:
    """A CheckReport in one of CHECK_FORMATS; `texts` (source id -> text) lets the HTML page show drafts and sources."""
    return CHECK_FORMATS[fmt](color=color, explain=explain, width=width, texts=texts).render(report)
