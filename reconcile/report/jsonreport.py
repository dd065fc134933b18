"""The JSON report, written straight from the Report: fastjson.dumps(report.to_dict(explain)), byte for byte.

A report of 1,000 articles about one event is 20 MB, nearly all of it claims, and the same claim is
evidence in many findings. Building a dict for every claim of every finding and walking it again
cost more than writing it: here each claim is written once, from a template of the dict that
`models._claim_dict` builds, and repeated wherever it is cited. A claim always sits at the same
depth of the report, so its text is the same wherever it appears. Anything the templates do not
expect (a value that is not a plain str, int, float, bool or None, a subclass of Report with a
to_dict of its own) sends the whole report the old way, through to_dict and fastjson.
"""
from __future__ import annotations

from json.encoder import encode_basestring

from ..models import SCHEMA_ID, Claim, Finding, Report, _source_dict, reprints_dicts, values_of_finding
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


def report_json(report: Report, explain: bool = False, end: str = "") -> str:
    """The report as JSON text and `end`, exactly as fastjson.dumps(report.to_dict(explain)) + end."""
    if type(report) is not Report:  # a report of its own kind (check's) says more in its own to_dict()
        return dumps(report.to_dict(explain)) + end
    try:
        return _ReportWriter(explain).write(report, end)
    except (_Unsupported, RecursionError):
        return dumps(report.to_dict(explain)) + end


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
    """Appends the pieces of the report to one list, joined once: a finding of a big event cites
    hundreds of claims, and joining them level by level copied each claim's text again per level."""

    def __init__(self, explain: bool):
        self.explain = explain
        self.claims: dict[int, str] = {}  # id(claim) -> its text; the report holds every claim while it is written

    def write(self, report: Report, end: str) -> str:
        parts = ["{" + TOP + '"schema": ' + _scalar(SCHEMA_ID)]
        if report.event is not None:
            parts.append("," + TOP + '"event": ' + _scalar(report.event))
        parts.append("," + TOP + '"sources": ' + _generic([_source_dict(s) for s in report.sources], TOP))
        if report.reprints:
            parts.append("," + TOP + '"reprints": ' + _generic(reprints_dicts(report.reprints), TOP))
        parts.append("," + TOP + '"findings": ')
        if report.findings:
            parts.append("[")
            for n, finding in enumerate(report.findings):
                parts.append("," + FINDING if n else FINDING)
                self.finding(finding, parts)
            parts.append(TOP + "]")
        else:
            parts.append("[]")
        parts.append("," + TOP + '"summary": ' + _generic(report.summary(), TOP))
        parts.append("\n}" + end)
        return "".join(parts)

    def finding(self, f: Finding, parts: list[str]) -> None:
        parts.append(f'{{{FINDING_KEY}"id": {_scalar(f.id)},{FINDING_KEY}"verdict": {_scalar(f.verdict)},'
                     f'{FINDING_KEY}"kind": {_scalar(f.kind)},{FINDING_KEY}"topic": {_scalar(f.topic)},'
                     f'{FINDING_KEY}"summary": {_scalar(f.summary)},{FINDING_KEY}"confidence": {_scalar(f.confidence)},'
                     f'{FINDING_KEY}"claims": ')
        if f.claims:
            parts.append("[")
            for n, claim in enumerate(f.claims):
                parts.append("," + CLAIM if n else CLAIM)
                parts.append(self.claim(claim))
            parts.append(FINDING_KEY + "]")
        else:
            parts.append("[]")
        parts.append("," + FINDING_KEY + '"values": ' + _generic(values_of_finding(f), FINDING_KEY))
        parts.append("," + FINDING_KEY + '"conflicts": ' + _generic([list(p) for p in f.conflicts], FINDING_KEY))
        if self.explain:
            parts.append("," + FINDING_KEY + '"explain": ' + _generic(_explained(f),
                                                                      FINDING_KEY))
        parts.append(FINDING + "}")

    def claim(self, claim: Claim) -> str:
        text = self.claims.get(id(claim))
        if text is None:
            s = claim.sentence
            # Sentences and offsets are nearly always plain str and int, written here without a call.
            quantities = _array([_quantity(q) for q in claim.quantities], CLAIM_KEY)
            text = self.claims[id(claim)] = (
                f'{{{CLAIM_KEY}"source": {_scalar(claim.source_id)},'
                f'{CLAIM_KEY}"text": {encode_basestring(s.text) if type(s.text) is str else _scalar(s.text)},'
                f'{CLAIM_KEY}"start": {s.start if type(s.start) is int else _scalar(s.start)},'
                f'{CLAIM_KEY}"end": {s.end if type(s.end) is int else _scalar(s.end)},'
                f'{CLAIM_KEY}"line": {s.line if type(s.line) is int else _scalar(s.line)},'
                f'{CLAIM_KEY}"column": {s.column if type(s.column) is int else _scalar(s.column)},'
                f'{CLAIM_KEY}"quantities": {quantities},{CLAIM_KEY}"polarity": {_scalar(claim.polarity)},'
                f'{CLAIM_KEY}"modality": {_scalar(claim.modality)},{CLAIM_KEY}"speaker": {_scalar(claim.speaker)}'
                f'{CLAIM}}}')
        return text


def _quantity(q) -> str:
    return (f'{{{QUANTITY_KEY}"text": {_scalar(q.text)},{QUANTITY_KEY}"value": {_scalar(q.value)},'
            f'{QUANTITY_KEY}"low": {_scalar(q.low)},{QUANTITY_KEY}"high": {_scalar(q.high)},'
            f'{QUANTITY_KEY}"bound": {_scalar(q.bound)},{QUANTITY_KEY}"unit": {_scalar(q.unit)},'
            f'{QUANTITY_KEY}"category": {_scalar(q.category)}{QUANTITY}}}')


def _explained(finding: Finding) -> dict:
    """What --explain adds to a finding, as models._finding_dict gives it."""
    score = finding.alignment_score
    return {"rules": list(finding.rules)} if score is None else {"score": score, "rules": list(finding.rules)}
