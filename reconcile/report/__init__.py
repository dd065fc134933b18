"""Report: render a Report as a terminal table, JSON, YAML, Markdown, CSV, ClaimReview JSON-LD or an HTML page.

One small formatter class per format behind one interface, chosen from a closed set.
"""
from __future__ import annotations

import csv
import functools
import io
import re
from typing import ClassVar, Mapping

from ..models import Report, SourceSummary
from . import jsontext

__all__ = ["FORMATS", "Formatter", "printable", "render", "reprint_lines", "source_label", "summary_line"]


class Formatter:
    name: ClassVar[str]

    def __init__(self, color: bool = False, explain: bool = False, width: int | None = None,
                 texts: Mapping[str, str] | None = None):
        self.color = color
        self.explain = explain
        self.width = width
        self.texts = texts  # source id -> the article's text, for the formats that show it (html)

    def render(self, report: Report) -> str:
        raise NotImplementedError


class JsonFormatter(Formatter):
    name = "json"

    def render(self, report: Report) -> str:
        return jsontext.dumps(report.to_dict(self.explain)) + "\n"


class YamlFormatter(Formatter):
    name = "yaml"

    def render(self, report: Report) -> str:
        import yaml

        return yaml.dump(report.to_dict(self.explain), Dumper=_yaml_dumper(), sort_keys=False, allow_unicode=True,
                         width=100)


@functools.cache
def _yaml_dumper():
    """PyYAML's SafeDumper, except that a string with a NEL (U+0085) is double-quoted and repeated
    objects are written in full, never as anchors and aliases.

    With allow_unicode, PyYAML writes NEL as it is in a plain or single-quoted scalar, where the
    reader takes it for a line break: "a\x85b" would load back as "a b"."""
    import yaml

    class Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data) -> bool:
            return True  # a claim cited twice is one dict in to_dict(): written out both times, no &id001

    def represent_str(dumper, data: str):
        style = '"' if "\x85" in data else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)

    Dumper.add_representer(str, represent_str)
    return Dumper


class CsvFormatter(Formatter):
    """One row per claim of each finding: spreadsheets want flat rows.

    Rows end in CRLF (RFC 4180): the csv module quotes a field only for the characters of the line
    terminator, and a lone carriage return in a sentence must be quoted too."""

    name = "csv"
    columns = ("finding", "verdict", "kind", "topic", "summary", "confidence", "source", "line", "column", "text")

    def render(self, report: Report) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(self.columns)
        for f in report.findings:
            for c in f.claims:
                writer.writerow((f.id, f.verdict, f.kind or "", f.topic, f.summary, f.confidence,
                                 c.source_id, c.sentence.line, c.sentence.column, c.sentence.text))
        return out.getvalue()


class MarkdownFormatter(Formatter):
    """A GitHub-flavoured Markdown table; text is escaped so that it shows as written."""

    name = "markdown"

    def render(self, report: Report) -> str:
        labels = {s.id: source_label(s) for s in report.sources}
        sources = ", ".join(_code(s.id) + ("" if s.name == s.id else f" ({_md(s.name)})") for s in report.sources)
        lines = ["# reconcile report", "", "Sources: " + sources, ""]
        note = extracted_note(report)
        if note:
            lines[-1:-1] = [note, ""]
        for line in reprint_lines(report):
            lines[-1:-1] = [_md(line), ""]
        lines += ["| verdict | topic | summary | evidence |", "|---|---|---|---|"]
        for f in report.findings:
            verdict = _md(f.verdict + (f" ({f.kind})" if f.kind else ""))
            evidence = "<br>".join(
                _code(f"{labels.get(c.source_id, c.source_id)}:{c.sentence.line}:{c.sentence.column}")
                + " " + _md(c.sentence.text) for c in f.claims)
            lines.append(f"| {verdict} | {_md(f.topic)} | {_md(f.summary)} | {evidence} |")
        lines += ["", summary_line(report), ""]
        return "\n".join(lines)


class TableFormatter(Formatter):
    name = "table"

    def render(self, report: Report) -> str:
        from .table import render_table

        return render_table(report, color=self.color, width=self.width, explain=self.explain)


class HtmlFormatter(Formatter):
    """One self-contained page: findings beside the sources' texts (see html.py). It always
    explains its findings, so `explain` changes nothing."""

    name = "html"

    def render(self, report: Report) -> str:
        from .html import render_html

        return render_html(report, self.texts)


class ClaimReviewFormatter(Formatter):
    """schema.org ClaimReview JSON-LD, one object per contradicted claim (see claimreview.py)."""

    name = "claimreview"

    def render(self, report: Report) -> str:
        from .claimreview import render_claimreview

        return render_claimreview(report)


FORMATS: dict[str, type[Formatter]] = {
    cls.name: cls for cls in (TableFormatter, JsonFormatter, YamlFormatter, MarkdownFormatter, CsvFormatter,
                              HtmlFormatter, ClaimReviewFormatter)
}


def render(report: Report, fmt: str = "json", color: bool = False, explain: bool = False, width: int | None = None,
           texts: Mapping[str, str] | None = None) -> str:
    """The report in format `fmt`; `texts` (source id -> Source.text) lets the HTML page show the articles."""
    return FORMATS[fmt](color=color, explain=explain, width=width, texts=texts).render(report)


# Verdicts that are nouns take a plural; "unique", "disputed", ... are adjectives and do not.
PLURALS = {"contradiction": "contradictions", "update": "updates", "difference": "differences",
           "agreement": "agreements"}
ALWAYS_COUNTED = ("contradiction", "agreement")


def summary_line(report: Report, skip_zero: bool = False, sources: bool = True) -> str:
    """The count of each verdict: "5 contradictions, 0 updates, ..., 6 unique across 3 sources".

    `skip_zero` leaves out the verdicts nobody found, except contradictions and agreements."""
    counts = report.summary()
    parts = [f"{n} {PLURALS.get(verdict, verdict) if n != 1 else verdict}" for verdict, n in counts.items()
             if n or not skip_zero or verdict in ALWAYS_COUNTED]
    line = ", ".join(parts)
    if sources:
        line += f" across {len(report.sources)} source{'' if len(report.sources) == 1 else 's'}"
    return line


def source_label(source: SourceSummary) -> str:
    """How evidence names a source, before ":line": its path, or its id when it has none (stdin, a
    text) or when its text was extracted (HTML, JSON): there the lines are not the file's, and
    one JSONL file can hold several articles."""
    return source.path if source.path and source.kind == "text" else source.id


# Line breaks and other whitespace controls become a space; other control characters (an escape
# character in a pasted page would drive the terminal) become U+FFFD. One character for one.
_PRINTABLE = {c: " " if chr(c).isspace() else "\ufffd" for c in [*range(0x20), *range(0x7f, 0xa0)]}
_PRINTABLE.update({0x2028: " ", 0x2029: " "})


def printable(text: str) -> str:
    """`text` on one line with no control characters, the same length, for a terminal or a table cell."""
    return text.translate(_PRINTABLE)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def _md(text: str) -> str:
    """Text in a table cell, shown as written: on one line, inline markup and pipes escaped."""
    return _MD_SPECIAL.sub(r"\\\1", printable(text.replace("\r\n", "\n")))


def _code(text: str) -> str:
    """A code span; pipes are still escaped, as GitHub splits table cells before anything else."""
    text = printable(text).replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def reprint_lines(report: Report) -> list[str]:
    """One line per wire story that several sources copy: the copy compared, and the others."""
    return [f"{g.source} reprinted by {', '.join(g.reprints)}: counted once" for g in report.reprints]


def extracted_note(report: Report) -> str:
    """Say so when lines and columns count a page's extracted text, not the file's own lines."""
    extracted = [s.id for s in report.sources if s.extracted]
    if not extracted:
        return ""
    return f"Lines and columns of {', '.join(extracted)} refer to the text extracted from the page or JSON."
