"""The `reconcile check` formats that code-scanning and review tools import: SARIF 2.1.0, JUnit XML
and reviewdog's rdjson (columns in UTF-8 bytes there; characters elsewhere)."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from . import Formatter, jsontext, printable
from .issue_text import TOOL, cut, display_path, evidence_of, message, paths_of, rule_id, sentence_end

if TYPE_CHECKING:  # the check package loads the pipeline; formatters need only its data
    from ..check.model import CheckReport, Issue
    from ..models import Claim


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

        paths = paths_of(report)
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
        return jsontext.dumps(sarif) + "\n"

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
            "relatedLocations": [_related(n, c, paths) for n, c in enumerate(evidence_of(issue), start=1)],
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
    return {"id": n, "message": {"text": f"{claim.source_id}: {cut(claim.sentence.text)}"},
            "physicalLocation": {"artifactLocation": {"uri": _uri(paths.get(claim.source_id) or claim.source_id)},
                                 "region": {"startLine": claim.sentence.line, "startColumn": claim.sentence.column,
                                            "endLine": end_line, "endColumn": end_column}}}


class JunitFormatter(Formatter):
    """JUnit XML: a test suite per draft, a test case per draft claim checked; errors fail,
    warnings pass with the finding in system-out, accepted findings are skipped."""

    name = "junit"

    def render(self, report: CheckReport) -> str:
        import xml.etree.ElementTree as ET

        paths = paths_of(report)
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
            cases = [(c.id, f"line {c.sentence.line}: {cut(c.sentence.text, 120)}", c.sentence.line)
                     for c in report.checked if c.source_id == draft]
            cases += [(key, f"coverage: {cut(found[0].finding.topic, 120)}", 1)
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
        paths = paths_of(report)
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
        return jsontext.dumps(out) + "\n"
