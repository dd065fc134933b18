"""The JSON report, written straight from the Report: fastjson.dumps(report.to_dict(explain)), byte for byte.

A report of 1,000 articles about one event is 20 MB, nearly all of it claims, and the same claim is
evidence in many findings. Building a dict for every claim of every finding and walking it again
cost more than writing it: here each claim is written once, from a template of the dict that
`models._claim_dict` builds, and repeated wherever it is cited. A claim always sits at the same
depth of the report, so its text is the same wherever it appears. Anything the templates do not
expect (a value that is not a plain str, int, float, bool or None) sends the whole report the old
way, through to_dict and fastjson.
"""
from __future__ import annotations

from json.encoder import encode_basestring

from ..models import SCHEMA_ID, Claim, Finding, Report, _source_dict
from .fastjson import _encode, _float, _Unsupported, dumps

__all__ = ["report_json"]

STEP = "  "
# The line breaks and indentation that open each level of the report, as json.dumps(indent=2) writes them.
TOP = "\n" + STEP  # keys of the report
FINDING = TOP + STEP  # each finding in "findings"
FINDING_KEY = FINDING + STEP
CLAIM = FINDING_KEY + STEP  # each claim in a finding's "claims"
CLAIM_KEY = CLAIM + STEP
QUANTITY = CLAIM_KEY + STEP  # each quantity in a claim's "quantities"
QUANTITY_KEY = QUANTITY + STEP


def report_json(report: Report, explain: bool = False) -> str:
    """The report as JSON text, exactly as fastjson.dumps(report.to_dict(explain)) writes it."""
    try:
        return _ReportWriter(explain).write(report)
    except (_Unsupported, RecursionError):
        return dumps(report.to_dict(explain))


def _scalar(value) -> str:
    """A plain JSON value as fastjson writes it; anything else is not ours to write."""
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        return _float(value)
    raise _Unsupported


def _array(items: list[str], newline: str) -> str:
    """A JSON array of already written items, the array opening at indentation `newline`."""
    if not items:
        return "[]"
    inner = newline + STEP
    return "[" + inner + ("," + inner).join(items) + newline + "]"


def _generic(value, newline: str) -> str:
    parts: list[str] = []
    _encode(value, parts.append, newline, STEP)
    return "".join(parts)


class _ReportWriter:
    def __init__(self, explain: bool):
        self.explain = explain
        self.claims: dict[int, str] = {}  # id(claim) -> its text; the report holds every claim while it is written

    def write(self, report: Report) -> str:
        parts = ["{" + TOP + '"schema": ' + _scalar(SCHEMA_ID)]
        if report.event is not None:
            parts.append("," + TOP + '"event": ' + _scalar(report.event))
        parts.append("," + TOP + '"sources": ' + _generic([_source_dict(s) for s in report.sources], TOP))
        parts.append("," + TOP + '"findings": ' + _array([self.finding(f) for f in report.findings], TOP))
        parts.append("," + TOP + '"summary": ' + _generic(report.summary(), TOP))
        parts.append("\n}")
        return "".join(parts)

    def finding(self, f: Finding) -> str:
        text = ("{" + FINDING_KEY + '"id": ' + _scalar(f.id)
                + "," + FINDING_KEY + '"verdict": ' + _scalar(f.verdict)
                + "," + FINDING_KEY + '"kind": ' + _scalar(f.kind)
                + "," + FINDING_KEY + '"topic": ' + _scalar(f.topic)
                + "," + FINDING_KEY + '"summary": ' + _scalar(f.summary)
                + "," + FINDING_KEY + '"confidence": ' + _scalar(f.confidence)
                + "," + FINDING_KEY + '"claims": ' + _array([self.claim(c) for c in f.claims], FINDING_KEY))
        if self.explain:
            text += "," + FINDING_KEY + '"explain": ' + _generic({"score": f.score, "rules": list(f.rules)}, FINDING_KEY)
        return text + FINDING + "}"

    def claim(self, claim: Claim) -> str:
        text = self.claims.get(id(claim))
        if text is None:
            s = claim.sentence
            quantities = [("{" + QUANTITY_KEY + '"text": ' + _scalar(q.text)
                           + "," + QUANTITY_KEY + '"value": ' + _scalar(q.value)
                           + "," + QUANTITY_KEY + '"low": ' + _scalar(q.low)
                           + "," + QUANTITY_KEY + '"high": ' + _scalar(q.high)
                           + "," + QUANTITY_KEY + '"bound": ' + _scalar(q.bound)
                           + "," + QUANTITY_KEY + '"unit": ' + _scalar(q.unit)
                           + "," + QUANTITY_KEY + '"category": ' + _scalar(q.category) + QUANTITY + "}")
                          for q in claim.quantities]
            text = self.claims[id(claim)] = (
                "{" + CLAIM_KEY + '"source": ' + _scalar(claim.source_id)
                + "," + CLAIM_KEY + '"text": ' + _scalar(s.text)
                + "," + CLAIM_KEY + '"start": ' + _scalar(s.start)
                + "," + CLAIM_KEY + '"end": ' + _scalar(s.end)
                + "," + CLAIM_KEY + '"line": ' + _scalar(s.line)
                + "," + CLAIM_KEY + '"column": ' + _scalar(s.column)
                + "," + CLAIM_KEY + '"quantities": ' + _array(quantities, CLAIM_KEY)
                + "," + CLAIM_KEY + '"polarity": ' + _scalar(claim.polarity)
                + "," + CLAIM_KEY + '"modality": ' + _scalar(claim.modality)
                + "," + CLAIM_KEY + '"speaker": ' + _scalar(claim.speaker) + CLAIM + "}")
        return text
