"""A toll one source states against another's "unclear whether there were casualties"."""
from __future__ import annotations

from .figures import TOLL_CATEGORIES
from ..models import Claim, Finding
from .findings import make_finding
from .related import events
from .values import fact_label


def toll_doubts(by_source: dict[str, list[Claim]], values: dict[str, list], pairs: list[tuple[str, str]]) -> list[Finding]:
    """A toll one related source states (its largest value of the event's own toll, parts added
    up) against another's "unclear whether there were casualties": one finding per toll and
    event, whichever pairs of sources meet it. (Figures against figures are facts: facts.py.)"""
    tolls = {sid: [v for v in values.get(sid, []) if v.measure in TOLL_CATEGORIES and not v.era and not v.subset]
             for sid in by_source}
    doubts = {sid: [c for c in claims if c.modality == "uncertain" and set(c.categories) & set(TOLL_CATEGORIES)
                    and not c.quantities_that_count] for sid, claims in by_source.items()}
    event = events(pairs)
    found: dict[tuple[str, str], tuple[list, list]] = {}  # (toll, event) -> (stated, doubted)
    for a, b in pairs:
        for unsure, sure in ((a, b), (b, a)):
            stated = [v for v in tolls[sure] if any(v.measure in d.categories for d in doubts[unsure])]
            if doubts[unsure] and stated:
                top = max(stated, key=lambda v: (v.measure == "killed", v.low))
                told, doubted = found.setdefault((fact_label(top.measure), event.get(sure, "")), ([], []))
                told.append((top.label, sure, [c for v in stated for c in v.claims]))
                doubted.append(("unclear", unsure, doubts[unsure]))
    return [_finding(label, *found[(label, e)]) for label, e in sorted(found)]


def _finding(label: str, told: list, doubted: list) -> Finding:
    claims = [c for _, _, evidence in told + doubted for c in evidence]
    summary = f"{label}: {_told(told)} vs {_told(doubted)}"
    return make_finding("contradiction", "hedge", label, summary, 0.7, claims, 0.0, ("judge.hedge.toll",))


def _told(side: list) -> str:
    """"at least 4 (wire) · 5 (daily)": each value with the sources that give it, by first source."""
    by_value: dict[str, set[str]] = {}
    for value, sid, _ in side:
        by_value.setdefault(value, set()).add(sid)
    return " · ".join(f"{value} ({', '.join(sorted(sids))})"
                      for value, sids in sorted(by_value.items(), key=lambda item: (min(item[1]), item[0])))
