"""What an HTML report embeds: each source with its text, lines and cited sentences, and each
finding pointing at those sentences, in the compact form that assets/report.js renders.

Offsets in the page count UTF-16 code units, as JavaScript strings do; the report's count code
points, so a text with characters beyond U+FFFF (emoji) is converted. A source whose text was not
given, or does not hold the report's sentences where it says, is shown as its cited sentences only.
"""
from __future__ import annotations

import bisect
import re
from typing import Callable, Mapping
from urllib.parse import urlsplit

from ..models import Claim, Report, SourceSummary
from ..segment import line_starts

__all__ = ["VERDICT_ORDER", "page_data", "page_title", "web_url"]

FORMAT_ID = "reconcile.html/1"
# Findings are listed in this order (the report's order within a verdict): the serious ones first.
VERDICT_ORDER = ("contradiction", "disputed", "update", "difference", "unsupported", "omitted", "agreement", "unique")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def web_url(url: str | None) -> str | None:
    """The URL if it is http or https: a `javascript:` or `data:` URL from an article never becomes a link."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def page_title(report: Report) -> str:
    """The event a manifest names, else what was compared."""
    if report.event:
        return report.event
    drafts = set(getattr(report, "drafts", ()))
    names = [s.name for s in report.sources if s.id not in drafts]
    listed = ", ".join(names) if len(names) <= 4 else f"{len(names)} sources"
    if drafts:
        checked = ", ".join(s.name for s in report.sources if s.id in drafts)
        return f"reconcile check: {checked} against {listed}"
    return f"reconcile: {listed}"


def page_data(report: Report, texts: Mapping[str, str] | None = None) -> dict:
    """The page's data: sources (text, lines, cited sentences) and findings that point into them."""
    texts = texts or {}
    drafts = set(getattr(report, "drafts", ()))
    summaries = list(report.sources)
    index = {s.id: n for n, s in enumerate(summaries)}
    for finding in report.findings:  # a claim of a source the report does not list still gets a column
        for claim in finding.claims:
            if claim.source_id not in index:
                index[claim.source_id] = len(summaries)
                summaries.append(SourceSummary(id=claim.source_id, name=claim.source_id, path=None, sentences=0,
                                               claims=0))
    cited: dict[str, list[Claim]] = {s.id: [] for s in summaries}
    for finding in report.findings:
        for claim in finding.claims:
            cited[claim.source_id].append(claim)
    sources, mark_of = [], {}
    for n, summary in enumerate(summaries):
        entry, marks = _source(summary, texts.get(summary.id), cited[summary.id], summary.id in drafts)
        sources.append(entry)
        mark_of.update({(n, span): m for span, m in marks.items()})
    findings = _findings(report, index, mark_of)
    verdicts = [v for v in report.summary() if v not in ("agreement", "unique")] if drafts else list(report.summary())
    return {"format": FORMAT_ID, "title": page_title(report), "event": report.event,
            "mode": "check" if drafts else "compare", "verdicts": verdicts, "summary": report.summary(),
            "sources": sources, "findings": findings}


def _findings(report: Report, index: dict[str, int], mark_of: dict) -> list[dict]:
    """Each finding, serious verdicts first, its claims as [source, sentence] and values as [claim, value]."""
    issues = getattr(report, "issues", None)  # a check's: each finding's severity
    severities = [i.severity for i in issues] if issues is not None and len(issues) == len(report.findings) else None
    out = []
    for i in sorted(range(len(report.findings)), key=lambda i: _rank(report.findings[i].verdict)):
        f = report.findings[i]
        at = {c.id: n for n, c in enumerate(f.claims)}
        entry = {"id": f.id, "verdict": f.verdict, "kind": f.kind, "topic": f.topic, "summary": f.summary,
                 "confidence": f.confidence, "rules": list(f.rules), "score": f.alignment_score,
                 "claims": [_claim_ref(c, index[c.source_id], mark_of) for c in f.claims],
                 "values": [[at[claim_id], value] for claim_id, value in f.values if claim_id in at],
                 "conflicts": [list(pair) for pair in f.conflicts]}
        if severities is not None:
            entry["severity"] = severities[i]
        out.append(entry)
    return out


def _rank(verdict: str) -> int:
    return VERDICT_ORDER.index(verdict) if verdict in VERDICT_ORDER else len(VERDICT_ORDER)


def _claim_ref(claim: Claim, source: int, mark_of: dict) -> list:
    """[source index, sentence index, stance]; the stance only when the claim does not simply state its fact."""
    ref: list = [source, mark_of[(source, (claim.sentence.start, claim.sentence.end))]]
    # A denial outranks a hedge ("denied" says more than "reportedly"); "unclear whether" reads
    # better as unclear than as the negation its wording also carries.
    if claim.polarity == "denied":
        stance = "denied"
    elif claim.modality != "asserted":
        stance = claim.modality
    else:
        stance = "" if claim.polarity == "affirmed" else claim.polarity
    if stance:
        ref.append(stance)
    return ref


def _source(summary: SourceSummary, text: str | None, claims: list[Claim], draft: bool) -> tuple[dict, dict]:
    """A source's entry, and the index of each cited sentence (by its span in the report) among its marks."""
    sentences = {}
    for claim in sorted(claims, key=lambda c: (c.sentence.start, -c.sentence.end)):
        sentences.setdefault((claim.sentence.start, claim.sentence.end), claim.sentence)
    whole = text is not None and all(text[s.start:s.end] == s.text for s in sentences.values())
    if whole:
        shown, lines, spans = text, _lines(text), list(sentences)
    else:
        shown, lines, spans = _excerpt(list(sentences.values()))
    to16 = _utf16(shown)
    marks, index, last_end = [], {}, -1
    for (start, end), (a, b) in zip(sentences, spans):
        if a < last_end:  # overlapping sentences (never from one segmentation): shown as the earlier one
            index[(start, end)] = len(marks) - 1
            continue
        sentence = sentences[(start, end)]
        index[(start, end)] = len(marks)
        marks.append([to16(a), to16(b), sentence.line, sentence.column])
        last_end = b
    entry = {"id": summary.id, "name": summary.name, "path": summary.path, "date": summary.date,
             "url": web_url(summary.url), "kind": summary.kind, "draft": draft, "excerpt": not whole,
             "text": shown, "lines": [[n, to16(a), to16(b)] for n, a, b in lines], "marks": marks}
    return entry, index


def _lines(text: str) -> list[tuple[int, int, int]]:
    """(number, start, end) of every line with more than whitespace on it; line breaks as segment counts them."""
    starts = line_starts(text)
    out = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(text)
        while end > start and text[end - 1] in "\r\n":
            end -= 1
        if text[start:end].strip():
            out.append((n + 1, start, end))
    return out


def _excerpt(sentences: list) -> tuple[str, list[tuple[int, int, int]], list[tuple[int, int]]]:
    """The cited sentences alone, each on its own line number (two on one line share it), and where each now is."""
    parts: list[str] = []
    lines: list[tuple[int, int, int]] = []
    spans: list[tuple[int, int]] = []
    at = 0
    for sentence in sentences:
        pieces = re.split(r"\r\n|\r|\n", sentence.text)
        for k, piece in enumerate(pieces):
            number = sentence.line + k
            if k == 0 and lines and lines[-1][0] == number:  # same line as the sentence before: go on after it
                parts.append(" ")
                at += 1
                n, a, _ = lines.pop()
                lines.append((n, a, at + len(piece)))
            else:
                if parts:
                    parts.append("\n")
                    at += 1
                lines.append((number, at, at + len(piece)))
            if k == 0:
                spans.append((at, at))
            parts.append(piece)
            at += len(piece)
        spans[-1] = (spans[-1][0], at)
    return "".join(parts), lines, spans


def _utf16(text: str) -> Callable[[int], int]:
    """Code-point offsets in `text` to UTF-16 offsets: each character beyond U+FFFF is two units."""
    astral = [m.start() for m in _ASTRAL.finditer(text)]
    if not astral:
        return int
    return lambda offset: offset + bisect.bisect_left(astral, offset)
