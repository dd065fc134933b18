"""Quotations across sources: the same words given to different speakers, or one speaker's
words quoted differently."""
from __future__ import annotations

from ..claims.text import normalise
from ..models import Claim, Finding
from .findings import make_finding

SAME_QUOTE = 90.0  # rapidfuzz ratio at which two quotations are the same words
SIMILAR_QUOTE = 72.0  # ... and at which they are one quotation worded differently
_PRONOUNS = {"he", "she", "they", "it", "we", "i", "you"}


def judge_quotes(claims: list[Claim]) -> list[Finding]:
    """Compare every quotation with those of the other sources (rapidfuzz cdist, one batch)."""
    quoted = [c for c in claims if c.quote and len(c.quote.split()) >= 4]
    if len({c.source_id for c in quoted}) < 2:
        return []
    from rapidfuzz import fuzz, process

    texts = [c.quote for c in quoted]
    scores = process.cdist(texts, texts, scorer=fuzz.ratio, score_cutoff=SIMILAR_QUOTE, workers=1)
    out = []
    for i, j in zip(*scores.nonzero()):
        if i >= j or quoted[i].source_id == quoted[j].source_id:
            continue
        a, b = quoted[i], quoted[j]
        score = float(scores[i, j])
        speakers = _speaker(a), _speaker(b)
        if score >= SAME_QUOTE and all(speakers) and not _same_speaker(*speakers) and not _named_by_other(a, b):
            summary = f'"{_short(a.quote)}": said by {speakers[0]} ({a.source_id}) vs {speakers[1]} ({b.source_id})'
            out.append(make_finding("contradiction", "quote", "quotation", summary, 0.7, [a, b], score,
                                    ("judge.quote.speaker",)))
        elif score < 100.0 and normalise(a.quote) != normalise(b.quote) and (not all(speakers) or _same_speaker(*speakers)):
            summary = f"quotation worded differently by {a.source_id} and {b.source_id}"
            out.append(make_finding("difference", "quote", "quotation", summary, 0.6, [a, b], score,
                                    ("judge.quote.wording",)))
    return out


def _speaker(claim: Claim) -> str | None:
    speaker = (claim.speaker or "").strip()
    return None if not speaker or speaker.lower() in _PRONOUNS else speaker


def _same_speaker(a: str, b: str) -> bool:
    """"Governor Anna Berg" and "Berg" are one speaker: one name's words contain the other's last."""
    wa, wb = normalise(a).split(), normalise(b).split()
    return wa[-1] in wb or wb[-1] in wa


def _named_by_other(a: Claim, b: Claim) -> bool:
    """Either speaker also appears in the other sentence: "Hunter told Fox News" and "Hunter said
    in an interview with Fox News" credit the same man, whichever name the pattern picked."""
    for speaker, other in ((_speaker(a), b), (_speaker(b), a)):
        if speaker and normalise(speaker).split()[-1] in other.norm:
            return True
    return False


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"
