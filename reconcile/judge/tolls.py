"""A toll one source states against another's "unclear whether there were casualties"."""
from __future__ import annotations

from .figures import TOLL_CATEGORIES
from ..models import Claim, Finding
from .findings import VERDICT_ORDER, make_finding
from .related import events
from .values import fact_label


class FigureClashes:
    """A stated toll against a doubt, merged over pairs of sources: the same toll doubted by
    several pairs of sources about one event makes one finding, whichever pair came first."""

    def __init__(self, event: dict[str, str] | None = None):
        self.event = event or {}
        self.sides: dict[tuple, tuple[list, list]] = {}  # (event, verdict, label, one, other) -> evidence

    def add(self, verdict: str, label: str, first: tuple[str, str, list[Claim]],
            second: tuple[str, str, list[Claim]]) -> None:
        if verdict == "contradiction" and first[0] > second[0]:
            first, second = second, first  # one key for "4 vs 9" and "9 vs 4"
        # Every toll a doubt meets is one row: "at least 4 (wire) · 5 (daily) vs unclear (cable)".
        told = "" if verdict == "hedge" else first[0]
        entry = self.sides.setdefault((self.event.get(first[1], ""), verdict, label, told, second[0]), ([], []))
        entry[0].append(first)
        entry[1].append(second)

    def findings(self, score: float = 0.0) -> list[Finding]:
        """One finding per merged clash, contradictions first, then by what they say."""
        return [_merged_finding(key, *self.sides[key], score) for key in sorted(self.sides, key=_clash_order)]


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


def _merged_finding(key: tuple, first: list, second: list, score: float = 0.0) -> Finding:
    _, _, label, _, told_second = key
    claims = [c for _, _, evidence in first + second for c in evidence]
    summary = f"{label}: {_told(first)} vs {_told(second)}"
    return make_finding("contradiction", "hedge", label, summary, 0.7, claims, score, ("judge.hedge.toll",))


def _told(side: list) -> str:
    """"at least 4 (wire) · 5 (daily)": each value with the sources that give it, by first source."""
    by_value: dict[str, set[str]] = {}
    for value, sid, _ in side:
        by_value.setdefault(value, set()).add(sid)
    return " · ".join(f"{value} ({', '.join(sorted(sids))})"
                      for value, sids in sorted(by_value.items(), key=lambda item: (min(item[1]), item[0])))
