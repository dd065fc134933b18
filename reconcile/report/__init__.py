"""Report: render a Report as a terminal table, JSON, YAML, Markdown or CSV.

One small formatter class per format behind one interface, chosen from a closed set.
"""
from __future__ import annotations

import csv
import io
import json
from typing import ClassVar

from ..models import Report

__all__ = ["FORMATS", "Formatter", "render"]


class Formatter:
    name: ClassVar[str]

    def __init__(self, color: bool = False, explain: bool = False, width: int | None = None):
        self.color = color
        self.explain = explain
        self.width = width

    def render(self, report: Report) -> str:
        raise NotImplementedError


class JsonFormatter(Formatter):
    name = "json"

    def render(self, report: Report) -> str:
        return json.dumps(report.to_dict(self.explain), ensure_ascii=False, indent=2) + "\n"


class YamlFormatter(Formatter):
    name = "yaml"

    def render(self, report: Report) -> str:
        import yaml

        return yaml.safe_dump(report.to_dict(self.explain), sort_keys=False, allow_unicode=True, width=100)


class CsvFormatter(Formatter):
    """One row per claim of each finding: spreadsheets want flat rows."""

    name = "csv"
    columns = ("finding", "verdict", "kind", "topic", "summary", "confidence", "source", "line", "column", "text")

    def render(self, report: Report) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.columns)
        for f in report.findings:
            for c in f.claims:
                writer.writerow((f.id, f.verdict, f.kind or "", f.topic, f.summary, f.confidence,
                                 c.source_id, c.sentence.line, c.sentence.column, c.sentence.text))
        return out.getvalue()


class MarkdownFormatter(Formatter):
    name = "markdown"

    def render(self, report: Report) -> str:
        paths = {s.id: s.path or s.id for s in report.sources}
        lines = ["# reconcile report", "", "Sources: " + ", ".join(f"`{s.id}` ({s.name})" for s in report.sources), ""]
        lines += ["| verdict | topic | summary | evidence |", "|---|---|---|---|"]
        for f in report.findings:
            verdict = f.verdict + (f" ({f.kind})" if f.kind else "")
            evidence = "<br>".join(
                f"`{paths[c.source_id]}:{c.sentence.line}:{c.sentence.column}` {_md(c.sentence.text)}" for c in f.claims)
            lines.append(f"| {verdict} | {_md(f.topic)} | {_md(f.summary)} | {evidence} |")
        lines += ["", _summary_line(report), ""]
        return "\n".join(lines)


class TableFormatter(Formatter):
    name = "table"

    def render(self, report: Report) -> str:
        from .table import render_table

        return render_table(report, color=self.color, width=self.width, explain=self.explain)


FORMATS: dict[str, type[Formatter]] = {
    cls.name: cls for cls in (TableFormatter, JsonFormatter, YamlFormatter, MarkdownFormatter, CsvFormatter)
}


def render(report: Report, fmt: str = "json", color: bool = False, explain: bool = False, width: int | None = None) -> str:
    return FORMATS[fmt](color=color, explain=explain, width=width).render(report)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _summary_line(report: Report) -> str:
    counts = report.summary()
    return ", ".join(f"{n} {verdict}{'s' if n != 1 else ''}" for verdict, n in counts.items()) + \
        f" across {len(report.sources)} sources"
