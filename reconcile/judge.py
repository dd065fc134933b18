"""Judge: give every group of aligned claims a verdict, with a topic, a summary and its evidence."""
from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass

from .figures import LABELS, TOLL_CATEGORIES, Figure, conflicts, describe, figures_of
from .models import Claim, Finding, Group, Source

VERDICT_ORDER = ("contradiction", "update", "difference", "agreement", "unique")


@dataclass(frozen=True)
class JudgeOptions:
    min_agreement_score: float = 62.0
    negation_margin: float = 10.0  # a bare "not" needs a closer match than a denial does


def judge(groups: tuple[Group, ...], sources: tuple[Source, ...], options: JudgeOptions = JudgeOptions()) -> tuple[Finding, ...]:
    """Findings for every group, plus tolls compared across the sources that are related."""
    dates = {s.id: s.date for s in sources}
    by_source: dict[str, list[Claim]] = defaultdict(list)
    for g in groups:
        for claim in g.claims:
            by_source[claim.source_id].append(claim)
    for claims in by_source.values():
        claims.sort(key=lambda c: c.sentence.index)
    findings: list[Finding] = []
    related: set[frozenset[str]] = set()
    for g in groups:
        ids = g.source_ids
        if len(ids) >= 2:
            related.update(frozenset((a, b)) for a in ids for b in ids if a < b)
            findings.append(_judge_group(g, dates, by_source, options))
        else:
            claim = g.claims[0]
            if _is_unique_worthy(claim):
                findings.append(_finding("unique", None, _topic([claim]), _unique_summary(claim), 0.5, [claim], g.score))
    findings.extend(_compare_tolls(by_source, related, dates))
    findings = _drop_covered(findings)
    return tuple(sorted(findings, key=_order))


def _judge_group(g: Group, dates: dict, by_source: dict[str, list[Claim]], options: JudgeOptions) -> Finding:
    claims = list(g.claims)
    stance = {sid: _source_stance([c for c in claims if c.source_id == sid], by_source[sid], claims) for sid in g.source_ids}
    deniers = [sid for sid, s in stance.items() if s == "denied"]
    asserters = [sid for sid, s in stance.items() if s in ("asserted", "hedged")]
    topic = _topic(claims)
    if deniers and asserters:
        strict = all(_strong_denial(c) for c in claims if c.source_id in deniers)
        if strict or g.score >= options.min_agreement_score + options.negation_margin:
            summary = f"{topic}: stated by {', '.join(asserters)}; denied in {', '.join(deniers)}"
            return _finding("contradiction", "denial", topic, summary, _confidence(g.score, 0.85), claims, g.score,
                            _rules(claims, "judge.denial"))
    per_source = {sid: figures_of(tuple(c for c in claims if c.source_id == sid)) for sid in g.source_ids}
    for a, b in _source_pairs(g.source_ids):
        clash = conflicts(per_source[a], per_source[b])
        if clash:
            fa, fb = clash[0]
            return _figure_finding(fa, fb, dates, g.score, claims)
    uncertain = [sid for sid, s in stance.items() if s == "uncertain"]
    if uncertain and asserters:
        summary = f"{topic}: stated by {', '.join(asserters)}; unclear in {', '.join(uncertain)}"
        return _finding("contradiction", "hedge", topic, summary, _confidence(g.score, 0.7), claims, g.score,
                        _rules(claims, "judge.hedge"))
    hedged = [sid for sid, s in stance.items() if s == "hedged"]
    plain = [sid for sid, s in stance.items() if s == "asserted"]
    if hedged and plain:
        summary = f"{topic}: stated as fact by {', '.join(plain)}; hedged in {', '.join(hedged)}"
        return _finding("difference", "hedge", topic, summary, _confidence(g.score, 0.6), claims, g.score,
                        _rules(claims, "judge.hedge-difference"))
    kind = "denial" if deniers and not asserters else None
    summary = f"{topic}: told by {', '.join(g.source_ids)}"
    return _finding("agreement", kind, topic, summary, _confidence(g.score, 0.8), claims, g.score, ("judge.agreement",))


def _source_stance(mine: list[Claim], whole: list[Claim], group: list[Claim]) -> str:
    """How one source stands on a group's fact: denied, uncertain, hedged, asserted or rumour."""
    if any(c.polarity in ("denied", "negated") for c in mine):
        return "denied"
    if _debunks_elsewhere(mine, whole):
        return "denied"
    if any(c.modality == "uncertain" for c in mine):
        return "uncertain"
    if all(c.modality == "rumour" for c in mine):
        return "rumour"
    if all(c.modality in ("hedged", "rumour") for c in mine):
        return "hedged"
    return "asserted"


def _debunks_elsewhere(mine: list[Claim], whole: list[Claim]) -> bool:
    """A source that retells a story it debunks in another sentence is not asserting it."""
    words = {w for c in mine for w in c.words} | {n for c in mine for n in c.names}
    for other in whole:
        if other in mine or other.polarity != "denied" or not _strong_denial(other):
            continue
        shared = words & (set(other.words) | set(other.names))
        if len(shared) >= 2:
            return True
    return False


def _strong_denial(claim: Claim) -> bool:
    return claim.polarity == "denied"


def _figure_finding(fa: Figure, fb: Figure, dates: dict, score: float, claims: list[Claim]) -> Finding:
    label = LABELS.get(fa.category, fa.category)
    a, b = fa.claim.source_id, fb.claim.source_id
    later = _later(fa, fb, dates)
    evidence = list(dict.fromkeys(list(fa.claims) + list(fb.claims) + claims))
    if later is not None:
        earlier = fb if later is fa else fa
        summary = f"{label}: {describe(earlier)} ({earlier.claim.source_id}) revised to {describe(later)} ({later.claim.source_id})"
        return _finding("update", "numeric", label, summary, 0.75, evidence, score, ("judge.update",))
    summary = f"{label}: {describe(fa)} ({a}) vs {describe(fb)} ({b})"
    return _finding("contradiction", "numeric", label, summary, 0.85, evidence, score, ("judge.numeric",))


def _later(fa: Figure, fb: Figure, dates: dict) -> Figure | None:
    """The figure that revises the other upwards: it says the toll rose, or it was published later."""
    larger, smaller = (fa, fb) if fa.low >= fb.low else (fb, fa)
    if larger.rose:
        return larger
    da, db = dates.get(larger.claim.source_id), dates.get(smaller.claim.source_id)
    if da and db and str(da) > str(db):
        return larger
    return None


def _compare_tolls(by_source: dict[str, list[Claim]], related: set[frozenset[str]], dates: dict) -> list[Finding]:
    """Deaths, injuries and missing compared between related sources however the sentences are worded."""
    out: list[Finding] = []
    ids = sorted(by_source)
    tolls = {sid: figures_of(tuple(by_source[sid]), TOLL_CATEGORIES) for sid in ids}
    for a, b in _source_pairs(ids):
        if frozenset((a, b)) not in related:
            continue
        for fa, fb in conflicts(tolls[a], tolls[b]):
            out.append(_figure_finding(fa, fb, dates, 0.0, []))
        for unsure, sure in ((a, b), (b, a)):
            doubts = [c for c in by_source[unsure] if c.modality == "uncertain" and set(c.categories) & set(TOLL_CATEGORIES)
                      and not c.quantities_that_count]
            stated = [f for f in tolls[sure] if any(f.category in d.categories for d in doubts)]
            if doubts and stated:
                label = LABELS.get(stated[0].category, stated[0].category)
                claims = doubts + [c for f in stated for c in f.claims]
                summary = f"{label}: {describe(stated[0])} ({sure}) vs unclear ({unsure})"
                out.append(_finding("contradiction", "hedge", label, summary, 0.7, claims, 0.0, ("judge.hedge.toll",)))
    return out


def _drop_covered(findings: list[Finding]) -> list[Finding]:
    """A toll finding repeats a group's finding over the same claims: keep one."""
    seen: set[tuple] = set()
    out = []
    for finding in sorted(findings, key=lambda f: (-len(f.claims), _order(f))):
        key = (finding.verdict, finding.kind, frozenset(c.id for c in finding.claims))
        if key in seen:
            continue
        seen.add(key)
        out.append(finding)
    return out


def _is_unique_worthy(claim: Claim) -> bool:
    """Single-source claims worth a fact-checker's look: not plain background, not a headline."""
    if claim.sentence.headline or claim.modality == "rumour":
        return False
    return bool(claim.quantities_that_count or claim.polarity == "denied" or claim.quote or claim.speaker)


def _unique_summary(claim: Claim) -> str:
    if claim.quantities_that_count:
        q = claim.quantities_that_count[0]
        return f"only {claim.source_id}: {q.text} ({q.category})"
    return f"only {claim.source_id}" + (f", attributed to {claim.speaker}" if claim.speaker else "")


def _topic(claims: list[Claim]) -> str:
    """A few words the claims share: their commonest names and content words."""
    categories = Counter(q.category for c in claims for q in c.quantities_that_count)
    if categories:
        return LABELS.get(categories.most_common(1)[0][0], categories.most_common(1)[0][0])
    counts: Counter[str] = Counter()
    for claim in claims:
        counts.update(set(claim.names))
        counts.update(w for w in set(claim.words) if len(w) > 3)
    if len({c.source_id for c in claims}) > 1:
        common = [w for w, n in counts.items() if n > 1]
    else:
        common = list(counts)
    common.sort(key=lambda w: (-counts[w], -len(w), w))
    return " ".join(common[:3]) or "statement"


def _finding(verdict: str, kind: str | None, topic: str, summary: str, confidence: float,
             claims: list[Claim], score: float, rules: tuple[str, ...] = ()) -> Finding:
    ordered = tuple(sorted(dict.fromkeys(claims), key=lambda c: (c.source_id, c.sentence.index)))
    digest = hashlib.sha1("|".join([verdict, kind or ""] + [c.id for c in ordered]).encode()).hexdigest()[:8]
    return Finding(id=f"{verdict[0]}-{digest}", verdict=verdict, kind=kind, topic=topic, summary=summary,
                   confidence=round(confidence, 2), claims=ordered, score=score, rules=rules)


def _rules(claims: list[Claim], own: str) -> tuple[str, ...]:
    return (own,) + tuple(sorted({r for c in claims for r in c.rules}))


def _confidence(score: float, ceiling: float) -> float:
    return max(0.05, min(ceiling, score / 100.0 * ceiling + 0.1))


def _source_pairs(ids):
    ids = sorted(ids)
    return [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]]


def _order(finding: Finding):
    first = finding.claims[0] if finding.claims else None
    return (VERDICT_ORDER.index(finding.verdict), -finding.confidence,
            first.source_id if first else "", first.sentence.index if first else 0, finding.id)
