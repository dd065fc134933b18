"""Formatters for `reconcile check`: a terminal table, Markdown for a pull-request comment, and the
formats CI systems read: GitHub workflow commands, GitLab Code Quality, SARIF 2.1.0, JUnit XML
and reviewdog's rdjson. JSON is the report contract, as for `compare`.

Each takes a `reconcile.check.CheckReport`. Lines are 1-based; columns count characters except
in rdjson, which counts UTF-8 bytes; every end column is one past the last character.
"""
from __future__ import annotations

import hashlib
import io
import os
import re
from typing import TYPE_CHECKING

from . import Formatter, JsonFormatter, _code, _md, fastjson, printable

if TYPE_CHECKING:  # the check package loads the pipeline; formatters need only its data
    from ..check.model import CheckReport, Issue
    from ..models import Claim

__all__ = ["CHECK_FORMATS", "render_check", "display_path"]

EVIDENCE_CHARS = 200
TOOL = "reconcile"


# --- what every format says about an issue ----------------------------------------------------

def display_path(path: str | None, fallback: str = "<stdin>") -> str:
    """A path as CI systems want it: relative to the working directory when inside it, with '/'."""
    if path is None:
        return fallback
    absolute = os.path.abspath(path)
    here = os.getcwd()
    if absolute == here or absolute.startswith(here.rstrip(os.sep) + os.sep):
        path = os.path.relpath(absolute, here)
    return path.replace(os.sep, "/")


def rule_id(issue: Issue) -> str:
    """"contradiction/numeric", "disputed", ...: the verdict, and the kind of a contradiction."""
    kind = issue.finding.kind
    return issue.verdict + (f"/{kind}" if kind and issue.verdict == "contradiction" else "")


def title(issue: Issue) -> str:
    kind = f" ({issue.finding.kind})" if issue.finding.kind else ""
    return f"reconcile: {issue.verdict}{kind}"


def _cut(text: str, limit: int = EVIDENCE_CHARS) -> str:
    flat = " ".join(printable(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "\u2026"


def evidence_lines(issue: Issue, paths: dict[str, str | None]) -> list[str]:
    """One line per source claim: "wire (news/wire.txt:3): the sentence"."""
    return [f"{c.source_id} ({display_path(paths.get(c.source_id), c.source_id)}:{c.sentence.line}): "
            f"{_cut(c.sentence.text)}" for c in _evidence(issue)]


def _evidence(issue: Issue) -> tuple[Claim, ...]:
    claims = issue.finding.claims
    return claims if issue.verdict == "omitted" else claims[1:]


def message(issue: Issue, paths: dict[str, str | None]) -> str:
    """The summary, then the evidence, one claim a line."""
    return "\n".join([printable(issue.finding.summary), *evidence_lines(issue, paths)])


def sentence_end(claim: Claim) -> tuple[int, int]:
    """Line and column one past the end of a claim's sentence."""
    text = claim.sentence.text
    if "\n" not in text:
        return claim.sentence.line, claim.sentence.column + len(text)
    return claim.sentence.line + text.count("\n"), len(text.rsplit("\n", 1)[1]) + 1


def _counts(report: CheckReport) -> str:
    errors = sum(1 for i in report.issues if i.severity == "error")
    warnings = len(report.issues) - errors
    drafts = len(report.drafts)
    sources = len(report.sources) - drafts
    line = (f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}: "
            f"{len(report.checked)} claim{'s' * (len(report.checked) != 1)} in {drafts} draft{'s' * (drafts != 1)} "
            f"checked against {sources} source{'s' * (sources != 1)}")
    if report.suppressed:
        line += f"; {len(report.suppressed)} suppressed"
    return line


def _paths(report: CheckReport) -> dict[str, str | None]:
    return dict(report.paths)


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
        paths = _paths(report)
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
                    evidence.append(_cut(issue.claim.sentence.text, 240))
                for line in evidence_lines(issue, paths):
                    evidence.append(("\n" if evidence else "") + line)
                table.add_row(where, Text(issue.severity, style=self.STYLES[issue.severity]),
                              Text(verdict + "\n" + summary), evidence)
            console.print(table)
        console.print(Text(_counts(report)))
        return buffer.getvalue()


class CheckMarkdownFormatter(Formatter):
    """A comment for a pull request: one table per draft, errors first."""

    name = "markdown"

    def render(self, report: CheckReport) -> str:
        paths = _paths(report)
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
                draft_text = "" if issue.verdict == "omitted" else _md(_cut(issue.claim.sentence.text))
                evidence = "<br>".join(
                    _code(f"{display_path(paths.get(c.source_id), c.source_id)}:{c.sentence.line}") + " "
                    + _md(_cut(c.sentence.text)) for c in _evidence(issue))
                lines.append(f"| {mark} | {line} | {finding} | {draft_text} | {evidence} |")
            lines.append("")
        lines += [_counts(report), ""]
        return "\n".join(lines)


# --- CI formats ----------------------------------------------------------------------------------

class GithubFormatter(Formatter):
    """GitHub Actions workflow commands: each issue becomes an annotation on the draft's lines."""

    name = "github"

    def render(self, report: CheckReport) -> str:
        paths = _paths(report)
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
        paths = _paths(report)
        out = []
        for issue in report.issues:
            path = display_path(issue.location.path)
            severity = "critical" if issue.verdict == "contradiction" else self.SEVERITY[issue.severity]
            out.append({
                "type": "issue",
                "check_name": f"{TOOL}/{rule_id(issue)}",
                "description": _cut(message(issue, paths).replace("\n", " | "), 1000),
                "content": {"body": message(issue, paths)},
                "categories": ["Bug Risk"],
                "fingerprint": hashlib.sha256(f"{path}\x1f{issue.fingerprint}".encode()).hexdigest(),
                "severity": severity,
                "location": {"path": path, "lines": {"begin": issue.location.line, "end": issue.location.end_line}},
            })
        return fastjson.dumps(out) + "\n"


SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
RULES = (
    ("contradiction/numeric", "The draft gives a figure that the sources contradict."),
    ("contradiction/denial", "The draft states as fact what a source reports as denied, or the other way round."),
    ("contradiction/hedge", "The draft states as fact what a source says is unclear, or the other way round."),
    ("contradiction/quote", "The draft gives a quotation to a different speaker than the sources."),
    ("contradiction", "The draft contradicts the sources."),
    ("disputed", "The sources disagree among themselves and the draft takes one side."),
    ("unsupported", "No source tells what the draft claims."),
    ("omitted", "Several sources agree on a fact that the draft leaves out."),
)


class SarifFormatter(Formatter):
    """SARIF 2.1.0: one run, a fixed rule per verdict, the sources' sentences as related locations."""

    name = "sarif"

    def render(self, report: CheckReport) -> str:
        from .. import __version__

        paths = _paths(report)
        index = {rule: n for n, (rule, _) in enumerate(RULES)}
        results = [self._result(i, index, paths) for i in (*report.issues, *report.suppressed)]
        run = {
            "tool": {"driver": {
                "name": TOOL, "version": __version__, "semanticVersion": __version__,
                "rules": [{"id": rule, "name": rule.replace("/", "-"), "shortDescription": {"text": text},
                           "defaultConfiguration": {"level": "error" if rule.startswith("contradiction") else "warning"}}
                          for rule, text in RULES],
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
            "invocations": [{"executionSuccessful": True, "exitCode": report.status}],
        }
        sarif = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
        return fastjson.dumps(sarif) + "\n"

    def _result(self, issue: Issue, index: dict[str, int], paths: dict[str, str | None]) -> dict:
        loc = issue.location
        rule = rule_id(issue) if rule_id(issue) in index else issue.verdict
        region = {"startLine": loc.line, "startColumn": loc.column, "endLine": loc.end_line, "endColumn": loc.end_column}
        if issue.verdict == "omitted":
            region = {"startLine": 1}
        else:
            region["snippet"] = {"text": issue.claim.sentence.text}
        result = {
            "ruleId": rule,
            "ruleIndex": index[rule],
            "level": issue.severity,
            "message": {"text": message(issue, paths)},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(loc.path)}, "region": region}}],
            "partialFingerprints": {"reconcileFingerprint/v1": issue.fingerprint},
            "relatedLocations": [_related(n, c, paths) for n, c in enumerate(_evidence(issue), start=1)],
        }
        if issue.suppressed:
            result["suppressions"] = [{"kind": "inSource" if issue.suppressed == "inline" else "external",
                                       "justification": f"accepted ({issue.suppressed})"}]
        return result


def _uri(path: str | None) -> str:
    from urllib.parse import quote

    return quote(display_path(path, "stdin"), safe="/")


def _related(n: int, claim: Claim, paths: dict[str, str | None]) -> dict:
    end_line, end_column = sentence_end(claim)
    return {"id": n, "message": {"text": f"{claim.source_id}: {_cut(claim.sentence.text)}"},
            "physicalLocation": {"artifactLocation": {"uri": _uri(paths.get(claim.source_id) or claim.source_id)},
                                 "region": {"startLine": claim.sentence.line, "startColumn": claim.sentence.column,
                                            "endLine": end_line, "endColumn": end_column}}}


class JunitFormatter(Formatter):
    """JUnit XML: a test suite per draft, a test case per draft claim checked; errors fail,
    warnings pass with the finding in system-out, accepted findings are skipped."""

    name = "junit"

    def render(self, report: CheckReport) -> str:
        import xml.etree.ElementTree as ET

        paths = _paths(report)
        everything = (*report.issues, *report.suppressed)
        root = ET.Element("testsuites", name="reconcile check")
        totals = {"tests": 0, "failures": 0, "skipped": 0}
        for draft in report.drafts:
            path = display_path(paths.get(draft), draft)
            suite = ET.SubElement(root, "testsuite", name=path)
            counts = {"tests": 0, "failures": 0, "skipped": 0}
            by_claim: dict[str, list[Issue]] = {}
            for issue in everything:
                if issue.draft == draft:
                    key = "omitted:" + issue.fingerprint if issue.verdict == "omitted" else issue.claim.id
                    by_claim.setdefault(key, []).append(issue)
            cases = [(c.id, f"line {c.sentence.line}: {_cut(c.sentence.text, 120)}", c.sentence.line)
                     for c in report.checked if c.source_id == draft]
            cases += [(key, f"coverage: {_cut(found[0].finding.topic, 120)}", 1)
                      for key, found in by_claim.items() if key.startswith("omitted:")]
            for key, name, line in cases:
                case = ET.SubElement(suite, "testcase", classname=path, name=_xml(name), file=path, line=str(line))
                counts["tests"] += 1
                found = by_claim.get(key, [])
                failing = [i for i in found if i.severity == "error" and not i.suppressed]
                if failing:
                    counts["failures"] += 1
                    issue = failing[0]
                    failure = ET.SubElement(case, "failure", type=rule_id(issue),
                                            message=_xml(printable(issue.finding.summary)))
                    failure.text = _xml(message(issue, paths))
                elif found and all(i.suppressed for i in found):
                    counts["skipped"] += 1
                    ET.SubElement(case, "skipped", message=f"accepted ({found[0].suppressed})")
                if any(not i.suppressed and i.severity == "warning" for i in found):
                    out = ET.SubElement(case, "system-out")
                    out.text = _xml("\n".join(f"warning: {rule_id(i)}: {message(i, paths)}" for i in found
                                              if not i.suppressed and i.severity == "warning"))
            for key, value in counts.items():
                suite.set(key, str(value))
                totals[key] += value
            suite.set("errors", "0")
        for key, value in totals.items():
            root.set(key, str(value))
        root.set("errors", "0")
        ET.indent(root)
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml(text: str) -> str:
    """XML 1.0 has no way to write most control characters, even escaped: they become U+FFFD."""
    return _XML_INVALID.sub("\ufffd", text)


class RdjsonFormatter(Formatter):
    """reviewdog's Diagnostic Format (rdjson): columns in UTF-8 bytes, end exclusive."""

    name = "rdjson"
    SEVERITY = {"error": "ERROR", "warning": "WARNING"}

    def render(self, report: CheckReport) -> str:
        paths = _paths(report)
        diagnostics = []
        for issue in report.issues:
            loc = issue.location
            if issue.verdict == "omitted":
                where = {"start": {"line": 1}}
            else:
                where = {"start": {"line": loc.line, "column": loc.byte_column},
                         "end": {"line": loc.end_line, "column": loc.byte_end_column}}
            diagnostics.append({
                "message": message(issue, paths),
                "location": {"path": display_path(loc.path), "range": where},
                "severity": self.SEVERITY[issue.severity],
                "code": {"value": rule_id(issue)},
            })
        worst = "ERROR" if any(i.severity == "error" for i in report.issues) else "WARNING" if report.issues else "INFO"
        out = {"source": {"name": TOOL}, "severity": worst, "diagnostics": diagnostics}
        return fastjson.dumps(out) + "\n"


CHECK_FORMATS: dict[str, type[Formatter]] = {
    cls.name: cls for cls in (CheckTableFormatter, JsonFormatter, CheckMarkdownFormatter, GithubFormatter,
                              GitlabFormatter, SarifFormatter, JunitFormatter, RdjsonFormatter)
}


def render_check(report: CheckReport, fmt: str, color: bool = False, explain: bool = False,
                 width: int | None = None) -> str:
    """A CheckReport in one of CHECK_FORMATS."""
    return CHECK_FORMATS[fmt](color=color, explain=explain, width=width).render(report)
