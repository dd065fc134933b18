"""Building findings: ids, topics, confidence, order."""
from __future__ import annotations

import functools
import hashlib
import re
from collections import Counter

from .figures import TOLL_CATEGORIES
from ..models import Claim, Finding
from .values import fact_label

# Figures that name what a finding is about; a duration or a distance rarely does.
TOPIC_CATEGORIES = TOLL_CATEGORIES + ("arrested", "evacuated", "displaced", "rescued", "troops", "aircraft", "money")
VERDICT_ORDER = ("contradiction", "update", "difference", "agreement", "unique")


def topic_of(claims: list[Claim], figures: bool = True, story: frozenset[str] = frozenset()) -> str:
    """A few words the claims share: the figure they count, or their commonest names and words,
    those of the whole run's story (`story`: "Ukraine" in coverage of Ukraine) last."""
    # A figure names the topic only when two sources count it: "arrested 8 over the blast" and
    # "the blast was investigated" agree on the blast, not on arrests.
    told = {}
    for c in claims:
        for q in c.quantities_that_count:
            if q.category in TOPIC_CATEGORIES:
                told.setdefault(q.category, set()).add(c.source_id)
    categories = Counter({cat: len(ids) for cat, ids in told.items() if len(ids) > 1 or len({c.source_id for c in claims}) == 1})
    if categories and figures:
        return fact_label(categories.most_common(1)[0][0])
    several = len({c.source_id for c in claims}) > 1

    def common(items: Counter) -> list[str]:
        found = [w for w, n in items.items() if n > 1 or not several]
        return sorted(found, key=lambda w: (w in story, -items[w], -len(w), w))

    names: Counter[str] = Counter()
    words: Counter[str] = Counter()
    for claim in claims:
        names.update(frozenset(claim.names))
        words.update(_topic_words(claim))
    shown = [n.title() for n in common(names)[:2]]
    shown += [_surface(w, claims) for w in common(words)[: 3 - len(shown)]]
    return " ".join(shown) or "statement"


@functools.lru_cache(maxsize=1 << 16)  # a claim is in many findings, and check judges it per source
def _topic_words(claim: Claim) -> frozenset[str]:
    """Content words of four letters or more that are not part of a name."""
    names = "\0".join(claim.names)  # one search instead of one per name; no word holds a NUL
    return frozenset(w for w in claim.words if len(w) > 3 and (w not in names if "\0" not in w
                                                                else not any(w in n for n in claim.names)))


def _surface(stemmed: str, claims: list[Claim]) -> str:
    """The word as a sentence wrote it ("caused", not "caus")."""
    for claim in claims:
        token = _surfaces(claim).get(stemmed)
        if token is not None:
            return token
    return stemmed


@functools.lru_cache(maxsize=1 << 16)
def _surfaces(claim: Claim) -> dict[str, str]:
    """Each stem of the sentence and the first word that has it."""
    from ..claims.text import stem

    out: dict[str, str] = {}
    for token in re.findall(r"[a-z0-9][a-z0-9'\-]*", claim.norm):
        out.setdefault(stem(token), token)
    return out


def make_finding(verdict: str, kind: str | None, topic: str, summary: str, confidence: float,
             claims: list[Claim], score: float, rules: tuple[str, ...] = (), fact: str = "") -> Finding:
    """`fact` tells apart findings on the same sentences about different facts (deaths and
    injuries told in one sentence each): it joins the id's digest when given."""
    ordered = tuple(sorted(dict.fromkeys(claims), key=lambda c: (c.source_id, c.sentence.index)))
    digest = hashlib.sha1("|".join([verdict, kind or ""] + [c.id for c in ordered] + ([fact] if fact else []))
                          .encode()).hexdigest()[:8]
    return Finding(id=f"{verdict[0]}-{digest}", verdict=verdict, kind=kind, topic=topic, summary=summary,
                   confidence=round(confidence, 2), claims=ordered, score=score, rules=rules)


def rule_ids(claims: list[Claim], own: str) -> tuple[str, ...]:
    return (own,) + tuple(sorted({r for c in claims for r in c.rules}))


def confidence_of(score: float, ceiling: float) -> float:
    return max(0.05, min(ceiling, score / 100.0 * ceiling + 0.1))


def source_pairs(ids):
    ids = sorted(ids)
    return [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]]


def order_key(finding: Finding):
    first = finding.claims[0] if finding.claims else None
    return (VERDICT_ORDER.index(finding.verdict), -finding.confidence,
            first.source_id if first else "", first.sentence.index if first else 0, finding.id)
