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
    """Compare every quotation with those of the other sources (rapidfuzz cdist, in batches)."""
    # In the claims' own order, whoever gathered them: a pair's summary names its first claim first.
    quoted = sorted(filter(quotable, claims), key=lambda c: (c.source_id, c.sentence.index))
    if len({c.source_id for c in quoted}) < 2:
        return []
    texts = [c.quote for c in quoted]
    out = []
    for i, j, score in _similar_pairs(texts):
        if quoted[i].source_id == quoted[j].source_id:
            continue
        a, b = quoted[i], quoted[j]
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


def quotable(claim: Claim) -> bool:
    """A quotation long enough that two outlets rarely share it by chance: four words or more."""
    return bool(claim.quote) and len(claim.quote.split()) >= 4


QUOTE_ROWS = 512  # quotations compared with all later ones per batch: memory stays linear


def _similar_pairs(texts: list[str]):
    """(i, j, ratio) for i < j where the ratio reaches SIMILAR_QUOTE, in order of i then j: each
    pair is scored once, in batches of rows on every CPU (a full matrix of 20,000 quotations
    would take 1.6 GB and score every pair twice)."""
    from rapidfuzz import fuzz, process

    for start in range(0, len(texts), QUOTE_ROWS):
        rows = texts[start:start + QUOTE_ROWS]
        scores = process.cdist(rows, texts[start:], scorer=fuzz.ratio, score_cutoff=SIMILAR_QUOTE, workers=-1)
        for i, j in zip(*scores.nonzero()):
            if j > i:
                yield start + int(i), start + int(j), float(scores[i, j])


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
