"""Figures between sources: contradictions of tolls, and updates."""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Container

from ..figures import LABELS, TOLL_CATEGORIES, Figure, conflicts, describe, figures_of, revisions
from ..models import Claim, Finding, Group
from .findings import VERDICT_ORDER, make_finding, source_pairs
from .facts import fact_label
from .related import Related, events


# Counts that can shrink between reports: the missing are found, the displaced go home.


# What a figure may count for two outlets to agree on it, beyond what it counts by name.
AGREEABLE = TOLL_CATEGORIES + ("arrested", "evacuated", "displaced", "rescued", "troops", "aircraft", "money")
CAN_FALL = ("missing", "displaced", "evacuated")


def _later(fa: Figure, fb: Figure, dates: dict) -> Figure | None:
    """The figure that revises the other: it rose above it (or fell below it) by the sentence's
    own words, or its source was published later with a toll that only grows larger. Ties are
    no revision, whichever source comes first: "at least 1" and "rose to 1" say the same."""
    for new, old in ((fa, fb), (fb, fa)):
        if new.change == "rose" and new.low > old.low:
            return new
        if new.change == "fell" and new.high < old.high:
            return new
    if fa.low == fb.low and fa.high == fb.high:
        return None
    da, db = dates.get(fa.claim.source_id), dates.get(fb.claim.source_id)
    if not (da and db) or str(da) == str(db):
        return None
    later, earlier = (fa, fb) if str(da) > str(db) else (fb, fa)
    if later.low > earlier.low or later.category in CAN_FALL:
        return later
    return None


class FigureClashes:
    """Clashing figures of pairs of sources, merged: the same two figures told by several pairs
    of sources about one event make one finding ("deaths: 4 (a, c) vs 9 (b, d)"), so what is
    reported does not hang on which pair of sources came first."""

    def __init__(self, event: dict[str, str] | None = None):
        self.event = event or {}
        self.sides: dict[tuple, tuple[list, list]] = {}  # (event, verdict, label, one, other) -> evidence

    def add(self, verdict: str, label: str, first: tuple[str, str, list[Claim]],
            second: tuple[str, str, list[Claim]]) -> None:
        if verdict == "contradiction" and first[0] > second[0]:
            first, second = second, first  # one key for "4 vs 9" and "9 vs 4"
        entry = self.sides.setdefault((self.event.get(first[1], ""), verdict, label, first[0], second[0]), ([], []))
        entry[0].append(first[1:])
        entry[1].append(second[1:])

    def add_figures(self, fa: Figure, fb: Figure, dates: dict, changed_may_contradict: bool = True) -> None:
        """A revision when one figure revises the other, else a contradiction (unless one of
        them says it changed and `changed_may_contradict` is off)."""
        later = _later(fa, fb, dates)
        label = LABELS.get(fa.category, fa.category)
        if later is not None:
            earlier = fb if later is fa else fa
            self.add("update", label, _side(describe(earlier), earlier), _side(describe(later), later))
        elif changed_may_contradict or not (fa.change or fb.change):
            self.add("contradiction", label, _side(describe(fa), fa), _side(describe(fb), fb))

    def findings(self, score: float = 0.0) -> list[Finding]:
        """One finding per merged clash, contradictions first, then by what they say."""
        return [_merged_finding(key, *self.sides[key], score) for key in sorted(self.sides, key=_clash_order)]

    def first_finding(self, score: float = 0.0) -> Finding:
        """findings(score)[0], without building the findings that follow it."""
        key = min(self.sides, key=_clash_order)
        return _merged_finding(key, *self.sides[key], score)


def _clash_order(key: tuple) -> tuple:
    _, verdict, label, first, second = key
    return VERDICT_ORDER.index("update" if verdict == "update" else "contradiction"), verdict, label, first, second, key[0]


def toll_doubts(by_source: dict[str, list[Claim]], values: dict[str, list], pairs: list[tuple[str, str]]) -> list[Finding]:
    """A toll one related source states (its largest value of the event's own toll, parts added
    up) against another's "unclear whether there were casualties"; merged across pairs of one
    event. (Figures against figures are facts: facts.py.)"""
    tolls = {sid: [v for v in values.get(sid, []) if v.measure in TOLL_CATEGORIES and not v.era and not v.subset]
             for sid in by_source}
    doubts = {sid: [c for c in claims if c.modality == "uncertain" and set(c.categories) & set(TOLL_CATEGORIES)
                    and not c.quantities_that_count] for sid, claims in by_source.items()}
    clashes = FigureClashes(events(pairs))
    for a, b in pairs:
        for unsure, sure in ((a, b), (b, a)):
            stated = [v for v in tolls[sure] if any(v.measure in d.categories for d in doubts[unsure])]
            if doubts[unsure] and stated:
                top = max(stated, key=lambda v: (v.measure == "killed", v.low))
                label = fact_label(top.measure)
                clashes.add("hedge", label, (top.label, sure, [c for v in stated for c in v.claims]),
                            ("unclear", unsure, doubts[unsure]))
    return clashes.findings()


def _side(description: str, figure: Figure) -> tuple[str, str, list[Claim]]:
    return description, figure.claim.source_id, list(figure.claims)


def _merged_finding(key: tuple, first: list, second: list, score: float = 0.0) -> Finding:
    _, verdict, label, told_first, told_second = key
    ids = [sorted({sid for sid, _ in side}) for side in (first, second)]
    if verdict == "contradiction" and ids[1][0] < ids[0][0]:
        ids.reverse()
        told_first, told_second = told_second, told_first
    claims = [c for _, evidence in first + second for c in evidence]
    one, other = ", ".join(ids[0]), ", ".join(ids[1])
    if verdict == "update":
        summary = f"{label}: {told_first} ({one}) revised to {told_second} ({other})"
        return make_finding("update", "numeric", label, summary, 0.75, claims, score, ("judge.update",))
    if verdict == "hedge":
        summary = f"{label}: {told_first} ({one}) vs {told_second} ({other})"
        return make_finding("contradiction", "hedge", label, summary, 0.7, claims, score, ("judge.hedge.toll",))
    summary = f"{label}: {told_first} ({one}) vs {told_second} ({other})"
    return make_finding("contradiction", "numeric", label, summary, 0.85, claims, score, ("judge.numeric",))


_REFERENCE = re.compile(r"\b(?:since|before|after|than|until|till|as of)\s*$", re.I)


def _reference_year(claim: Claim, quantity) -> bool:
    before = claim.sentence.text[: quantity.start - claim.sentence.start]
    return bool(_REFERENCE.search(before[-20:]))


def _same_event(left: tuple[Claim, ...], right: tuple[Claim, ...], everything: list[Claim]) -> bool:
    """Tolls worded differently are of one event unless one names a year the other source never
    mentions ("the 2001 attack killed 2,753" is not today's toll). A year that is only a point of
    comparison ("the deadliest storm since 1983") dates nothing."""
    def years(claims):
        return {q.value for c in claims for q in c.quantities if q.category == "year" and not _reference_year(c, q)}

    by_source: dict[str, set] = defaultdict(set)
    for claim in everything:
        by_source[claim.source_id] |= years([claim])
    for mine, theirs in ((left, right), (right, left)):
        other_years = by_source[theirs[0].source_id] if theirs else set()
        if years(mine) - other_years:
            return False
    return True


def figure_agreements(by_source: dict[str, list[Claim]], related: Container[frozenset[str]],
                      groups: tuple[Group, ...]) -> list[Finding]:
    """The same figure of the same thing in several related sources, however worded: "seven
    workers injured" and "Seven employees were hurt" agree. Figures are bucketed by what they
    count and their value, so only equal figures ever meet."""
    buckets: dict[tuple, list[Claim]] = defaultdict(list)
    for source_id in sorted(by_source):
        for claim in by_source[source_id]:
            if claim.modality in ("uncertain", "rumour") or claim.polarity == "denied":
                continue
            for q in claim.quantities:
                what = q.category if q.category in AGREEABLE else (f"counted:{q.counted}" if q.counted and
                                                                     q.category is None else None)
                if what and q.bound != "vague":
                    buckets[(what, q.unit or "", q.value)].append(claim)
    together: dict[str, list[frozenset[str]]] = defaultdict(list)  # claim id -> the multi groups it is in
    for g in groups:
        if len(g.source_ids) > 1:
            ids = frozenset(c.id for c in g.claims)
            for claim in g.claims:
                together[claim.id].append(ids)
    out = []
    for (what, _, value), claims in sorted(buckets.items(), key=lambda item: str(item[0])):
        claims = list(dict.fromkeys(claims))
        ids = sorted({c.source_id for c in claims})
        if len(ids) < 2 or not (related.joins(ids) if isinstance(related, Related)
                                else all(frozenset(p) in related for p in source_pairs(ids))):
            continue
        if any({c.id for c in claims} <= group for group in together[claims[0].id]):
            continue
        label = LABELS.get(what, what.replace("counted:", ""))
        summary = f"{label}: {describe_value(value)} told by {', '.join(ids)}"
        out.append(make_finding("agreement", None, label, summary, 0.7, claims, 0.0, ("judge.figure-agreement",)))
    return out


def describe_value(value) -> str:
    if value is None:
        return "?"
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"
