"""Figures as intervals: whether two reported figures can both be true."""
from __future__ import annotations

import bisect
import functools
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from .claims.text import normalise
from .lexicon import DEFAULT, Lexicon, words_alternation
from .models import NOT_COUNTS, Claim, Quantity

# Categories whose figures are compared across sources even when the sentences are worded
# differently: the tolls a fact-checker reconciles first.
TOLL_CATEGORIES = ("killed", "injured", "missing")
# Measures are rounded by every outlet ("39-foot", "40 feet"): they contradict only beyond this share.
MEASURE_TOLERANCE = {"money": 0.1, "distance": 0.15, "speed": 0.1, "duration": 0.1, "percent": 0.05}
LABELS = {"killed": "deaths", "injured": "injuries", "missing": "missing people", "arrested": "arrests",
          "evacuated": "evacuations", "displaced": "displaced people", "rescued": "rescued people",
          "troops": "troops", "aircraft": "aircraft", "money": "money", "percent": "percentage",
          "distance": "distance", "speed": "speed", "duration": "duration"}


@dataclass(frozen=True)
class Figure:
    """A figure a source states for one category, possibly the sum of several quantities."""

    claim: Claim
    category: str
    low: float | None
    high: float | None
    text: str
    extra: tuple[Claim, ...] = ()  # other claims whose figures were added in
    change: str | None = None  # "rose" or "fell": the sentence revises an earlier figure
    unit: str | None = None
    vague: bool = False  # "several", "dozens": too loose to contradict anything
    scope: str = "event"  # or "total": a running count ("nationwide", "since the war began")
    places: frozenset[str] = frozenset()  # where the sentence puts it ("in Kyiv")

    def comparable(self, other: "Figure") -> bool:
        """Counts of the same thing: same category, unit and scope, and not of different places."""
        return ((self.category, self.unit or "", self.scope) == (other.category, other.unit or "", other.scope)
                and (not self.places or not other.places or bool(self.places & other.places)))

    @property
    def claims(self) -> tuple[Claim, ...]:
        return self.extra + (self.claim,)


def interval(q: Quantity) -> tuple[float, float]:
    low = q.low if q.low is not None else (q.value if q.value is not None else 0.0)
    high = q.high if q.high is not None else (q.value if q.bound in ("exact", "about") and q.value is not None else float("inf"))
    if q.bound == "exact" and q.value is not None:
        low = high = q.value
    return float(low), float(high)


def compatible(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Whether two intervals share a value: "at least 4" and "6" can both be true."""
    return a[0] <= b[1] and b[0] <= a[1]


def describe(figure: Figure) -> str:
    low, high = figure.low, figure.high
    if low == high:
        return _number(low)
    if high is None or high == float("inf"):
        return f"at least {_number(low)}"
    if not low:
        return f"up to {_number(high)}"
    return f"{_number(low)}-{_number(high)}"


def _number(value: float | None) -> str:
    if value is None:
        return "?"
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


_PLACE = re.compile(r"\b(?:in|at|near|outside)\s+(?:the\s+)?([A-Z][\w'\-]+(?:\s+[A-Z][\w'\-]+){0,2})")


@functools.lru_cache(maxsize=8)
def _scope_pattern(lexicon: Lexicon) -> re.Pattern:
    return re.compile(rf"\b(?:{words_alternation(lexicon.get('words').get('scope_total', []))})\b")


@functools.lru_cache(maxsize=1 << 16)  # the judge asks again for every pair of sources and group
def scope_of(claim: Claim, lexicon: Lexicon = DEFAULT) -> str:
    return "total" if _scope_pattern(lexicon).search(claim.norm) else "event"


@functools.lru_cache(maxsize=8)
def _not_names(lexicon: Lexicon) -> frozenset[str]:
    return frozenset(lexicon.get("words").get("not_names", []))


@functools.lru_cache(maxsize=1 << 16)
def places_of(claim: Claim, lexicon: Lexicon = DEFAULT) -> frozenset[str]:
    """Capitalised places after "in", "at", "near": "12 dead in Kyiv" is about Kyiv (but "in
    Monday's attack" is about no place)."""
    not_names = _not_names(lexicon)
    found = (m.group(1) for m in _PLACE.finditer(claim.sentence.text))
    return frozenset(normalise(p) for p in found if p.split()[0].split("'")[0].split("\u2019")[0] not in not_names)


def figures_of(claims: tuple[Claim, ...], categories: tuple[str, ...] | None = None) -> list[Figure]:
    """The figures one source asserts, in text order; "four *other* people died" adds to the last one."""
    out: list[Figure] = []
    last: dict[str, Figure] = {}
    for claim in claims:
        if claim.modality in ("uncertain", "rumour") or claim.polarity == "denied":
            continue
        where = None
        for q in claim.quantities:
            if q.category in NOT_COUNTS or (categories and q.category not in categories):
                continue
            low, high = interval(q)
            previous = last.get(q.category)
            if where is None:  # once a claim: the judge reads every claim of a run with a figure
                where = {"scope": scope_of(claim), "places": places_of(claim)}
            if q.additive and previous is not None and previous.claim.id != claim.id:
                figure = Figure(claim, q.category, previous.low + low, float("inf"), q.text,
                                extra=previous.claims, change=q.change, unit=q.unit, **where)
            else:
                figure = Figure(claim, q.category, low, high, q.text, change=q.change, unit=q.unit,
                                vague=q.bound == "vague", **where)
            out.append(figure)
            last[q.category] = figure
    return out


def conflicts(a: list[Figure], b: list[Figure]) -> list[tuple[Figure, Figure]]:
    """Pairs of comparable figures that cannot both be true, where no comparable figure of one
    source agrees with any of the other (a source may give the toll of several places)."""
    return [(_best(a, mine), _best(b, theirs)) for mine, theirs in _clashes(_said(a), _said(b))]


def first_conflicts(per_source: dict[str, list[Figure]], ids: list[str]) -> Iterator[tuple[Figure, Figure]]:
    """conflicts(per_source[a], per_source[b])[0] for each pair of `conflicting_pairs`, in its
    order, lazily. A source meets many others in a group and stands by the same figure against
    most of them: that figure is picked once."""
    said = {sid: _said(per_source[sid]) for sid in ids}
    picked: dict[tuple[str, frozenset], Figure] = {}

    def best(sid: str, part: frozenset) -> Figure:
        figure = picked.get((sid, part))
        if figure is None:
            figure = picked[sid, part] = _best(per_source[sid], part)
        return figure

    first_clash: dict[tuple[frozenset, frozenset], tuple[frozenset, frozenset]] = {}
    for a, b in _conflicting_pairs(said, ids):
        sides = said[a], said[b]
        clash = first_clash.get(sides)
        if clash is None:
            clash = first_clash[sides] = _clashes(*sides)[0]
        yield best(a, clash[0]), best(b, clash[1])


def conflicting_pairs(per_source: dict[str, list[Figure]], ids: list[str]) -> Iterator[tuple[str, str]]:
    """The pairs (a, b) of sources whose figures conflict, in the order of `source_pairs`
    (a < b by id), lazily."""
    return _conflicting_pairs({sid: _said(per_source[sid]) for sid in ids}, ids)


def _conflicting_pairs(said: dict[str, frozenset], ids: list[str]) -> Iterator[tuple[str, str]]:
    """Whether two sources' figures conflict depends only on what the figures say, and the
    hundreds of sources of one event say a few things: sources are compared by what they say,
    not pair by pair."""
    ids = sorted(ids)
    positions: dict[frozenset, list[int]] = defaultdict(list)
    for at, sid in enumerate(ids):
        positions[said[sid]].append(at)
    clashing: dict[frozenset, list[frozenset]] = {}
    for at, sid in enumerate(ids):
        mine = said[sid]
        if mine not in clashing:
            clashing[mine] = [other for other in positions if _clashes(mine, other)]
        later = sorted(p for other in clashing[mine] for p in positions[other][bisect.bisect_right(positions[other], at):])
        for p in later:
            yield sid, ids[p]


# Positions in what a figure says (`_says`).
_KIND, _PLACES, _VAGUE, _LOW, _HIGH = slice(0, 3), 3, 4, 5, 6


def _says(f: Figure) -> tuple:
    """All that decides whether a figure clashes with another: figures that say the same clash
    alike, whoever states them."""
    return f.category, f.unit or "", f.scope, f.places, f.vague, f.low, f.high


def _said(figures: list[Figure]) -> frozenset[tuple]:
    return frozenset(map(_says, figures))


def _clashes(a: frozenset[tuple], b: frozenset[tuple]) -> tuple[tuple[frozenset, frozenset], ...]:
    """For each kind of figure (category, unit, scope) in sorted order whose figures clash: what
    each side says of it that takes part in the clash."""
    if hash(b) < hash(a):  # whether two sides clash does not hang on their order: weigh each pair once
        return tuple((mine, theirs) for theirs, mine in _ordered_clashes(b, a))
    return _ordered_clashes(a, b)


@functools.lru_cache(maxsize=1 << 16)  # the sources of one event say few things, and each pair asks again
def _ordered_clashes(a: frozenset[tuple], b: frozenset[tuple]) -> tuple[tuple[frozenset, frozenset], ...]:
    out = []
    for kind in sorted({x[_KIND] for x in a} & {y[_KIND] for y in b}):
        pairs = [(x, y) for x in a if x[_KIND] == kind for y in b if y[_KIND] == kind
                 and (not x[_PLACES] or not y[_PLACES] or x[_PLACES] & y[_PLACES])]
        if not pairs or any(x[_VAGUE] or y[_VAGUE] for x, y in pairs):
            continue
        slack = MEASURE_TOLERANCE.get(kind[0], 0.0)
        down, up = 1 - slack, 1 + slack
        # compatible() of the intervals widened by the slack, written out: it runs for every pair of figures
        if any(x[_LOW] * down <= y[_HIGH] * up and y[_LOW] * down <= x[_HIGH] * up for x, y in pairs):
            continue
        out.append((frozenset(x for x, _ in pairs), frozenset(y for _, y in pairs)))
    return tuple(out)


def _best(figures: list[Figure], said: frozenset[tuple]) -> Figure:
    """The figure that stands for a source's side of a clash: the highest, then the most added up,
    then the first in text order ("between 4 and 5 killed, and 4 killed": 4-5). Ties were once
    broken by the order of a set, which hangs on the hash seed."""
    return max((f for f in figures if _says(f) in said), key=lambda f: (f.low, len(f.claims), f.claim.id))


def revisions(a: list[Figure], b: list[Figure]) -> list[tuple[Figure, Figure]]:
    """Compatible figures where one says it rose or fell to a new value: "at least 4" and
    "the toll rose to 5" can both be true, but the second revises the first."""
    out = []
    for x in a:
        for y in b:
            if not x.comparable(y) or (x.low, x.high) == (y.low, y.high):
                continue
            if (x.change or y.change) and compatible((x.low, x.high), (y.low, y.high)):
                out.append((x, y))
    return out
