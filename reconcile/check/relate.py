"""How each claim of a draft stands with the sources, from the judge's own verdicts.

The draft is compared with every source on its own, exactly as `reconcile compare DRAFT SOURCE`
would (align, then judge), so that each source either contradicts a draft claim, tells it, or
says nothing about it. A draft claim is then:

* `contradiction`: some source contradicts it and no source that tells it disagrees with them;
* `disputed`: a source contradicts it and another tells it, and those two sources contradict
  each other (the judge says so when it compares them): the draft took a side;
* `unsupported`: a claim the judge would list as single-source, that no source tells.

In a check the draft is not a source in its own right: it has no date, and a figure it gives
that a source's figure does not allow is a contradiction even when the judge calls it an update
("rose to 11" against "rose to 5"). A source backs a figure only when its own figure is at least as
precise ("at least 4" does not back 11); and against a denial, only a source that states the
fact on its own authority, as the draft does, takes the draft's side.
"""
from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass

from ..align import align
from ..judge.figures import compatible, interval
from ..judge.values import fact_label
from ..judge import judge
from ..models import Claim, Finding, Group, Source

KIND_PRIORITY = ("numeric", "denial", "quote", "hedge")


@dataclass(frozen=True)
class Relation:
    """What one source does to one draft claim, and the judge's finding that says so."""

    claim: Claim  # the draft's claim
    source: str
    stance: str  # contradicts | supports
    finding: Finding
    evidence: tuple[Claim, ...]  # the source's claims in the finding

    @property
    def kind(self) -> str | None:
        return "numeric" if self.finding.verdict == "update" else self.finding.kind


@dataclass(frozen=True)
class Pairing:
    """The relations between one draft and one source, and the draft claims the judge would call unique."""

    relations: tuple[Relation, ...]
    unique: tuple[tuple[str, Finding], ...]  # (draft claim id, the judge's unique finding)


def pair(draft: Source, draft_claims: tuple[Claim, ...], source: Source, source_claims: tuple[Claim, ...],
         config) -> Pairing:
    """Compare one draft with one source and read off what the source does to each draft claim."""
    groups = align(tuple(source_claims) + tuple(draft_claims), config.align)
    findings = judge(groups, (draft, source), config.judge)
    relations: list[Relation] = []
    unique: list[tuple[str, Finding]] = []
    for finding in findings:
        mine = [c for c in finding.claims if c.source_id == draft.id]
        theirs = tuple(c for c in finding.claims if c.source_id == source.id)
        if not mine:
            continue
        if not theirs:
            if finding.verdict == "unique":
                unique.extend((c.id, finding) for c in mine)
            continue
        if finding.verdict == "contradiction":
            relations.extend(Relation(c, source.id, "contradicts", finding, theirs) for c in carriers(finding, mine, theirs))
        elif finding.verdict == "update":
            # The draft cannot revise its sources, nor keep a figure a source has revised; but an
            # earlier figure that still fits ("at least 4", then "rose to 5") contradicts nothing.
            relations.extend(Relation(c, source.id, "contradicts", finding, theirs)
                             for c in carriers(finding, mine, theirs) if clashes(theirs, c))
        elif finding.verdict in ("agreement", "difference"):
            relations.extend(Relation(c, source.id, "supports", finding, theirs) for c in mine if backs_figures(theirs, c))
    return Pairing(tuple(relations), tuple(unique))


def carriers(finding: Finding, mine: list[Claim], theirs: tuple[Claim, ...]) -> list[Claim]:
    """The draft claims a contradiction is about: a group may hold several claims of the draft."""
    kind = "numeric" if finding.verdict == "update" else finding.kind
    narrowed: list[Claim] = []
    if kind == "numeric":
        categories = {q.category for c in theirs for q in c.quantities_that_count}
        narrowed = [c for c in mine if any(q.category in categories for q in c.quantities_that_count)] \
            or [c for c in mine if c.quantities_that_count]
    elif kind == "hedge":
        narrowed = [c for c in mine if c.modality == "uncertain"]
        if not narrowed:
            cues = {cat for c in theirs for cat in c.categories} | {q.category for c in theirs for q in c.quantities_that_count}
            narrowed = [c for c in mine if any(q.category in cues for q in c.quantities_that_count)]
    elif kind == "denial":
        # A draft line is held to a denial only when it states what is denied itself: "Russian
        # drones hit Kyiv" says nothing of Iran supplying them, however the group was formed.
        mine = [c for c in mine if _speaks_of_denied(c, theirs)]
        if not mine:
            return []
        narrowed = [c for c in mine if c.polarity != "affirmed"]
    elif kind == "quote":
        narrowed = [c for c in mine if c.quote]
    candidates = narrowed or list(mine)
    if len(candidates) == 1:
        return candidates
    theirs_terms = {t for c in theirs for t in _terms(c)}
    overlap = {c.id: len(_terms(c) & theirs_terms) for c in candidates}
    best = max(overlap.values())
    return [c for c in candidates if overlap[c.id] == best]


def _speaks_of_denied(claim: Claim, theirs: tuple[Claim, ...]) -> bool:
    """Whether a draft claim tells what the source's denials deny: two of their names, or three
    of their story words. A short denial ("Iran repeated its denial") names what it denies only
    through the claims it was grouped with (judge.stories.attach_denials), so theirs count too."""
    from ..judge import SHORT_DENIAL
    from ..judge.stories import story_words

    denials = [c for c in theirs if c.polarity == "denied"] or list(theirs)
    if all(len(d.words) < SHORT_DENIAL for d in denials):
        denials = list(theirs)
        terms = [({n for d in denials for n in d.names}, frozenset().union(*map(story_words, denials)))]
    else:
        terms = [(set(d.names), story_words(d)) for d in denials]
    names, words = set(claim.names), story_words(claim)
    return any(len(names & theirs_names) >= 2 or len(words & theirs_words) >= 3 for theirs_names, theirs_words in terms)


def backs_figures(theirs: tuple[Claim, ...], claim: Claim) -> bool:
    """A source backs a draft's figure only with a figure at least as precise, in each category they share."""
    for q in claim.quantities_that_count:
        given = [p for c in theirs for p in c.quantities_that_count if p.category == q.category]
        if given and not any(_within(p, q) for p in given):
            return False
    return True


def clashes(theirs: tuple[Claim, ...], claim: Claim) -> bool:
    """Whether a draft claim gives a figure that no figure of the same category in `theirs` allows."""
    shared = False
    for q in claim.quantities_that_count:
        given = [p for c in theirs for p in c.quantities_that_count if p.category == q.category]
        shared = shared or bool(given)
        if given and not any(compatible(interval(p), interval(q)) for p in given):
            return True
    return not shared


def _within(theirs, mine) -> bool:
    low, high = interval(theirs)
    my_low, my_high = interval(mine)
    if my_low <= low and high <= my_high:
        return True
    # "about 15,000" backs "15,000" and the other way round: the same rounded figure
    return theirs.value is not None and theirs.value == mine.value and {theirs.bound, mine.bound} <= {"exact", "about"}


def _terms(claim: Claim) -> set[str]:
    return set(claim.words) | set(claim.names)


# --- from relations to verdicts -----------------------------------------------------------------

@dataclass(frozen=True)
class Verdict:
    """What the check concludes about one draft claim."""

    claim: Claim
    verdict: str  # contradiction | disputed | unsupported
    kind: str | None
    topic: str
    summary: str
    confidence: float
    evidence: tuple[Claim, ...]
    against: tuple[str, ...]
    supported_by: tuple[str, ...]
    rules: tuple[str, ...]


def conclude(draft_claims: tuple[Claim, ...], pairings: dict[str, Pairing], sources: dict[str, Source],
             config) -> list[Verdict]:
    """One verdict per draft claim that has something to report, in draft order."""
    by_claim: dict[str, list[Relation]] = defaultdict(list)
    unique: dict[str, Finding] = {}
    for pairing in pairings.values():
        for relation in pairing.relations:
            by_claim[relation.claim.id].append(relation)
        for claim_id, finding in pairing.unique:
            unique.setdefault(claim_id, finding)
    out: list[Verdict | int] = []  # an int: the index of a contradicted claim's case
    cases: list[tuple[Claim, dict, dict]] = []
    for claim in draft_claims:
        against: dict[str, list[Relation]] = defaultdict(list)
        backing: dict[str, list[Relation]] = defaultdict(list)
        for relation in by_claim.get(claim.id, []):
            (against if relation.stance == "contradicts" else backing)[relation.source].append(relation)
        for sid in against:  # a source that both tells and contradicts a claim counts as contradicting it
            backing.pop(sid, None)
        if against:
            out.append(len(cases))
            cases.append((claim, against, backing))
        elif not backing and claim.id in unique:
            finding = unique[claim.id]
            out.append(Verdict(claim, "unsupported", None, finding.topic, _unsupported_summary(claim, finding.topic),
                               0.5, (claim,), (), (), ("check.unsupported",) + finding.rules))
    done = _contradictions(cases, sources, config)
    return [done[item] if isinstance(item, int) else item for item in out]


# From this many sources that tell contradicted claims (each asks the judge whether it disputes
# the contradicting ones: about a millisecond a source), the claims split between processes.
CONCLUDE_FORK_MIN = 64


def _contradictions(cases: list[tuple[Claim, dict, dict]], sources: dict[str, Source], config) -> list[Verdict]:
    """The verdict of each contradicted claim, in case order: on a process pool (execution.map_chunks,
    one process per CPU up to 8) when there is much to ask the judge."""
    import functools

    from ..execution import cpu_jobs, map_in_order

    many = len(cases) > 1 and sum(len(backing) for _, _, backing in cases) >= CONCLUDE_FORK_MIN
    jobs = (config.jobs or cpu_jobs()) if many else 1
    # Each case carries the sources it weighs, not all of them: a worker is sent what it reads.
    cased = [(claim, against, backing, {sid: sources[sid] for sid in (*against, *backing)})
             for claim, against, backing in cases]
    chunks = [[case] for case in cased] if jobs > 1 else [cased]
    work = functools.partial(_contradiction_chunk, config=config)
    return map_in_order(work, chunks, jobs)


def _contradiction_chunk(chunk: list[tuple[Claim, dict, dict, dict]], config) -> list[Verdict]:
    return [_contradiction(claim, against, backing, sources, config) for claim, against, backing, sources in chunk]


def _contradiction(claim: Claim, against: dict[str, list[Relation]], backing: dict[str, list[Relation]],
                   sources: dict[str, Source], config) -> Verdict:
    relations = [r for sid in sorted(against) for r in against[sid]]
    kinds = [r.kind for r in relations]
    kind = next((k for k in KIND_PRIORITY if k in kinds), kinds[0])
    lead = next(r for r in relations if r.kind == kind)
    takers = []
    for sid in sorted(backing):
        told = [c for r in backing[sid] for c in r.evidence if _takes_side(claim, c, kind)]
        if told and any(disagree(sources[other], against[other], sources[sid], told, kind, config)
                        for other in sorted(against)):
            takers.append(sid)
    verdict = "disputed" if takers else "contradiction"
    evidence = [claim] + [c for r in relations for c in r.evidence]
    evidence += [c for sid in takers for r in backing[sid] for c in r.evidence]
    category = _category(claim, [c for r in relations for c in r.evidence])
    sides = [f"{sid} {_their_side(against[sid], category)}" for sid in sorted(against)]
    mine = _my_side(claim, kind, category)
    if kind == "slot":  # "the draft has Tobias Wrenfild, but wire has Tobias Wrenfield"
        mine = f"the draft has {_slot_value(lead.finding, claim) or 'another value'}"
        theirs = {sid: list(dict.fromkeys(v for r in against[sid] for c in r.evidence if (v := _slot_value(r.finding, c))))
                  for sid in sorted(against)}
        sides = [f"{sid} has {' or '.join(theirs[sid])}" if theirs[sid] else f"{sid} {_their_side(against[sid], category)}"
                 for sid in sorted(against)]
    if takers:
        summary = f"{lead.finding.topic}: the sources disagree; {mine}, as {' and '.join(takers)} " \
                  f"{'does' if len(takers) == 1 else 'do'}, but {'; '.join(sides)}"
    else:
        summary = f"{lead.finding.topic}: {mine}, but {'; '.join(sides)}"
    rules = ("check." + verdict,) + tuple(sorted({rule for r in relations for rule in r.finding.rules}))
    return Verdict(claim, verdict, kind, lead.finding.topic, summary, max(r.finding.confidence for r in relations),
                   tuple(dict.fromkeys(evidence)), tuple(sorted(against)), tuple(takers), rules)


def disagree(a: Source, against: list[Relation], b: Source, told: list[Claim], kind: str | None, config) -> bool:
    """Whether source a, which contradicts a draft claim, and source b, which tells it, contradict
    each other: the judge is shown their claims at stake as one group.

    Against a denial, b's claims count only if they are about what a denies (two shared names or
    words): a draft sentence may join a denied fact to one that b tells ("Iran supplied the
    drones, which Russia renamed"), and b telling the second part does not dispute the denial.
    """
    theirs = [c for r in against for c in r.evidence]
    if kind == "denial":
        told = [c for c in told if any(len(_terms(c) & _terms(d)) >= 2 for d in theirs)]
    if not told:
        return False
    score = max(r.finding.score for r in against) or config.align.cutoff
    return _contradict(a, b, tuple(dict.fromkeys(theirs + told)), score, config.judge)


@functools.lru_cache(maxsize=4096)
def _contradict(a: Source, b: Source, claims: tuple[Claim, ...], score: float, options) -> bool:
    """The judge's word on one group of two sources' claims (the same group recurs for every
    draft claim that both sources speak of, so it is asked once)."""
    for finding in judge((Group(claims=claims, score=score),), (a, b), options):
        present = {c.source_id for c in finding.claims}
        if finding.verdict == "contradiction" and {a.id, b.id} <= present:
            return True
    return False


def _takes_side(claim: Claim, told: Claim, kind: str | None) -> bool:
    """Against a denial, a draft stating a fact as its own needs a source that does the same."""
    if kind != "denial" or claim.polarity != "affirmed":
        return True
    return told.polarity == "affirmed" and told.modality == "asserted" and (claim.speaker is not None or told.speaker is None)


def _category(claim: Claim, evidence: list[Claim]) -> str | None:
    theirs = {q.category for c in evidence for q in c.quantities_that_count}
    mine = [q.category for q in claim.quantities_that_count]
    return next((cat for cat in mine if cat in theirs), mine[0] if mine else None)


def _figure_text(claims, category: str | None) -> str | None:
    texts = list(dict.fromkeys(q.text for c in claims for q in c.quantities_that_count if q.category == category))
    return " and ".join(texts) if texts else None


def _slot_value(finding: Finding, claim: Claim) -> str | None:
    """The word a slot finding gives for one claim ("shotgun", "Tobias Wrenfeld")."""
    return next((value for cid, value in finding.values if cid == claim.id), None)


def _my_side(claim: Claim, kind: str | None, category: str | None) -> str:
    if kind == "numeric":
        figure = _figure_text([claim], category)
        return f"the draft gives {figure}" if figure else "the draft gives a different figure"
    if kind == "hedge" and claim.modality == "uncertain":
        return "the draft calls it unclear"
    if kind == "denial" and claim.polarity != "affirmed":
        return "the draft reports it denied"
    if kind == "quote":
        return "the draft quotes " + (claim.speaker or "a speaker")
    return "the draft states it" + (" as fact" if claim.speaker is None and claim.modality == "asserted" else "")


def _their_side(relations: list[Relation], category: str | None) -> str:
    kinds = [r.kind for r in relations]
    kind = next((k for k in KIND_PRIORITY if k in kinds), kinds[0])
    evidence = [c for r in relations if r.kind == kind for c in r.evidence]
    if kind == "hedge":
        return "says it is unclear" if any(c.modality == "uncertain" for c in evidence) else "states it"
    if kind == "denial":
        return "reports it denied" if any(c.polarity != "affirmed" for c in evidence) else "states it"
    figure = _figure_text(evidence, category)
    if kind == "numeric" and figure:
        return f"gives {figure}"
    if kind == "quote":
        speakers = sorted({c.speaker for c in evidence if c.speaker})
        return "gives the quotation to " + (", ".join(speakers) or "someone else")
    return "tells it otherwise"


def _unsupported_summary(claim: Claim, topic: str) -> str:
    figures = claim.quantities_that_count
    if figures:
        q = figures[0]
        return f"{topic}: no source gives {q.text} ({fact_label(q.category)})"
    if claim.polarity != "affirmed":
        return f"{topic}: no source reports this denial"
    return f"{topic}: no source tells this" + (f" (attributed to {claim.speaker})" if claim.speaker else "")
