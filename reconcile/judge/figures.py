"""Figures as intervals: whether two reported figures can both be true."""
from __future__ import annotations

import functools
import re

from ..claims.text import normalise
from ..support.lexicon import DEFAULT, Lexicon, words_alternation
from ..models import Claim, Quantity

# Categories whose figures are compared across sources even when the sentences are worded
# differently: the tolls a fact-checker reconciles first.
TOLL_CATEGORIES = ("killed", "injured", "missing")


def interval(q: Quantity) -> tuple[float, float]:
    low = q.low if q.low is not None else (q.value if q.value is not None else 0.0)
    high = q.high if q.high is not None else (q.value if q.bound in ("exact", "about") and q.value is not None else float("inf"))
    if q.bound == "exact" and q.value is not None:
        low = high = q.value
    return float(low), float(high)


def compatible(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Whether two intervals share a value: "at least 4" and "6" can both be true."""
    return a[0] <= b[1] and b[0] <= a[1]


_PLACE = re.compile(r"\b(?:in|at|near|outside)\s+(?:the\s+)?([A-Z][\w'\-]+(?:\s+[A-Z][\w'\-]+){0,2})")


@functools.lru_cache(maxsize=8)
def _scope_pattern(lexicon: Lexicon) -> re.Pattern:
    return re.compile(rf"\b(?:{words_alternation(lexicon.get('words').get('scope_total', []))})\b")


@functools.lru_cache(maxsize=1 << 16)  # the judge asks again for every pair of sources and group
def scope_of(claim: Claim, lexicon: Lexicon = DEFAULT) -> str:
    return "total" if _scope_pattern(lexicon).search(claim.norm) else "event"


@functools.lru_cache(maxsize=8)
def not_names(lexicon: Lexicon) -> frozenset[str]:
    """Capitalised words that start sentences but name nobody ("The", "Monday")."""
    return frozenset(lexicon.get("words").get("not_names", []))


@functools.lru_cache(maxsize=1 << 16)
def places_of(claim: Claim, lexicon: Lexicon = DEFAULT) -> frozenset[str]:
    """Capitalised places after "in", "at", "near": "12 dead in Kyiv" is about Kyiv (but "in
    Monday's attack" is about no place)."""
    skip = not_names(lexicon)
    found = (m.group(1) for m in _PLACE.finditer(claim.sentence.text))
    return frozenset(normalise(p) for p in found if p.split()[0].split("'")[0].split("\u2019")[0] not in skip)
