"""Judge: give every group of aligned claims a verdict, with a topic, a summary and its evidence."""
from __future__ import annotations

from collections import Counter, defaultdict
from typing import Callable, TypeVar

from ..support.lexicon import DEFAULT, Lexicon
from ..models import Claim, Finding, Group, Source
from .findings import TOPIC_CATEGORIES, VERDICT_ORDER, confidence_of, make_finding, order_key, rule_ids, topic_of
from .options import JudgeOptions
from .quotes import judge_quotes
from .related import Related
from .stories import (StoryCases, StoryStance, attach_denials, denial_pairs, denier_of, same_story,
                      story_findings, story_words)
from .facts import fact_findings, fact_values
from .tolls import toll_doubts

__all__ = ["JudgeOptions", "VERDICT_ORDER", "judge"]

T = TypeVar("T")


def judge(groups: tuple[Group, ...], sources: tuple[Source, ...], options: JudgeOptions = JudgeOptions(),
          lexicon: Lexicon = DEFAULT, aside: Callable[[Callable[[], T]], Callable[[], T]] | None = None
          ) -> tuple[Finding, ...]:
    """Findings for every group, the facts the sources' figures tell, the quotations compared
    across sources, and tolls and stories compared across the sources that are related.

    The facts do not depend on the groups' verdicts: `aside` is handed their work and gives back
    the call that returns it, so that the caller may have them judged elsewhere meanwhile (the
    pipeline forks a child for a large run); without it they are judged here when needed."""
    dates = {s.id: s.date for s in sources}
    by_source: dict[str, list[Claim]] = defaultdict(list)
    for g in groups:
        for claim in g.claims:
            by_source[claim.source_id].append(claim)
    for claims in by_source.values():
        claims.sort(key=lambda c: c.sentence.index)
    related = Related(groups, options.pairwise_pairs)
    story = StoryStance(by_source, options)
    groups = attach_denials(cohesive(groups, options.min_shared_words, story.common), by_source)
    counted = related.union_of_others({sid: {q.category for c in claims for q in c.quantities_that_count}
                                       for sid, claims in by_source.items()})
    pairwise = related.pairs is not None
    about_one_story: set[frozenset[str]] | Related = related
    if pairwise and len(by_source) * (len(by_source) - 1) // 2 <= options.pairwise_pairs:
        about_one_story = related.pairs | same_story(by_source, options)
    elif pairwise:
        about_one_story = related.pairs
    story_pairs = sorted(tuple(sorted(p)) for p in about_one_story) if pairwise else []

    def facts_and_doubts() -> tuple[list[Finding], list[Finding]]:
        values = fact_values(by_source, lexicon)
        doubts = toll_doubts(by_source, values, related.sorted_pairs()) if pairwise else []
        return fact_findings(values, about_one_story, dates, lexicon), doubts

    judged_facts = aside(facts_and_doubts) if aside else facts_and_doubts
    findings = _group_findings(groups, dates, story, counted, options)
    cases = StoryCases(by_source, story_pairs, story, options)
    told = [(index, case) for index in range(len(story_pairs)) for case in [cases.of(index)] if case is not None]
    quoted = judge_quotes([c for claims in by_source.values() for c in claims])
    facts, doubts = judged_facts()
    findings = told_by_facts(_without_doubts_told(findings, doubts), facts) + facts + doubts
    findings.extend(quoted)
    done = denial_pairs(findings)
    findings.extend(story_findings(case for index, case in told if frozenset(story_pairs[index]) not in done))
    findings = _drop_covered(findings)
    shown = {c.id for f in findings if f.verdict != "unique" for c in f.claims}
    # A figure no other source gives stays single-source even inside a sentence that agrees
    # with another on something else ("arrested 8 people over the blast" / "the blast").
    findings = [f for f in findings if not (f.verdict == "unique" and f.claims[0].id in shown
                                            and "judge.unique.figure" not in f.rules)]
    return tuple(sorted(findings, key=order_key))


def _group_findings(groups: tuple[Group, ...], dates: dict, story: "StoryStance", counted: dict[str, set],
                    options: JudgeOptions) -> list[Finding]:
    """Each group's finding: a verdict for the claims of several sources, or a single-source claim."""
    findings: list[Finding] = []
    for g in groups:
        if len(g.source_ids) >= 2:
            findings.append(_judge_group(g, dates, story, options))
            findings.extend(_lone_figures(g, counted))
        else:
            claim = g.claims[0]
            if _is_unique_worthy(claim):
                findings.append(make_finding("unique", None, topic_of([claim]), _unique_summary(claim), 0.5, [claim], g.score))
    return findings


def _lone_figures(g: Group, counted_by_related: dict[str, set]) -> list[Finding]:
    """A figure no related source gives for its category is single-source, even inside a sentence
    that aligns with others ("arrested 8 people" in a sentence about the bridge attack)."""
    out = []
    for claim in g.claims:
        for q in claim.quantities_that_count:
            if q.category in TOPIC_CATEGORIES and q.category not in counted_by_related[claim.source_id]:
                out.append(make_finding("unique", None, topic_of([claim]), _unique_summary(claim), 0.5, [claim], g.score,
                                        ("judge.unique.figure",)))
                break
    return out


def _judge_group(g: Group, dates: dict, story: "StoryStance", options: JudgeOptions) -> Finding:
    claims = list(g.claims)
    close = options.negation_margin >= 0 and g.score >= options.min_agreement_score + options.negation_margin
    by_source: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        by_source[claim.source_id].append(claim)
    # What the other sources speak of matters only to a doubt that names what it doubts: most groups have none.
    topics = _topics_by_source(by_source) if any(c.modality == "uncertain" and c.categories for c in claims) \
        else dict.fromkeys(by_source, frozenset())
    stance = {sid: _source_stance(by_source[sid], close, topics[sid]) for sid in g.source_ids}
    deniers = [sid for sid, s in stance.items() if s == "denied"]
    denials = [c for sid in deniers for c in by_source[sid]]
    asserters = [sid for sid, s in stance.items() if s in ("asserted", "hedged")
                 and not (deniers and story.debunks_like(sid, denials))
                 and not any(story.disputes(sid, d) for d in deniers)
                 and not any(story.denier(sid, d, options) != d and _denies_topic(story.topical(sid, d), claims)
                             for d in deniers)]
    if deniers and asserters:
        topic = topic_of(claims, figures=False, story=story.common)
        who = sorted({n for c in claims if c.source_id in deniers for n in [denier_of(c)] if n})
        by = f" by {', '.join(n.title() for n in who)}" if who else ""
        stated = [sid for sid in asserters if stance[sid] == "asserted"]
        possible = [sid for sid in asserters if stance[sid] != "asserted"]
        told = "; ".join(part for part in (f"stated by {', '.join(stated)}" if stated else "",
                                            f"told as possible by {', '.join(possible)}" if possible else "") if part)
        summary = f"{topic}: {told}; reported as denied{by} in {', '.join(deniers)}"
        return make_finding("contradiction", "denial", topic, summary, confidence_of(g.score, 0.85), claims, g.score,
                        rule_ids(claims, "judge.denial"))
    topic = topic_of(claims, story=story.common)
    uncertain = [sid for sid, s in stance.items() if s == "uncertain"]
    # "Unclear whether the rock was buried" doubts nothing of "a 16-foot crater": a doubt
    # contradicts a stated figure only when it speaks of what the figure counts or measures.
    stated = {q.category for c in claims if c.source_id in asserters for q in c.quantities_that_count}
    doubted = {cat for c in claims if c.source_id in uncertain and c.modality == "uncertain" for cat in c.categories}
    if uncertain and asserters and stated & doubted:
        summary = f"{topic}: stated by {', '.join(asserters)}; unclear in {', '.join(uncertain)}"
        return make_finding("contradiction", "hedge", topic, summary, confidence_of(g.score, 0.7), claims, g.score,
                        rule_ids(claims, "judge.hedge"))
    hedged = [sid for sid, s in stance.items() if s in ("hedged", "uncertain")]
    plain = [sid for sid, s in stance.items() if s == "asserted"]
    if hedged and plain:
        # The sources tell one fact, some less firmly ("allegedly", "believed to"): an agreement
        # that says who hedges. Only "unclear whether" against a stated figure contradicts.
        summary = f"{topic}: stated as fact by {', '.join(plain)}; hedged in {', '.join(hedged)}"
        return make_finding("agreement", "hedge", topic, summary, confidence_of(g.score, 0.6), claims, g.score,
                        rule_ids(claims, "judge.hedge-difference"))
    kind = "denial" if deniers and not asserters else None
    summary = f"{topic}: told by {', '.join(g.source_ids)}"
    return make_finding("agreement", kind, topic, summary, confidence_of(g.score, 0.8), claims, g.score, ("judge.agreement",))


SHORT_DENIAL = 6  # words: "Iran repeated its denial" names what it denies only through its neighbour


def cohesive(groups: tuple[Group, ...], needed: int, common: frozenset[str]) -> tuple[Group, ...]:
    """Groups whose every claim shares `needed` words or names, beyond the run's `common` ones
    (StoryStance.common), with a claim of another source in it: a sentence the aligner chained
    in through one common word ("attack") tells another fact, and stands alone. A group left
    with one source splits into its claims."""
    out: list[Group] = []
    for g in groups:
        if len(g.source_ids) < 2:
            out.append(g)
            continue

        def close(c: Claim, o: Claim) -> bool:
            shared = story_words(c) & story_words(o)
            return len(shared) > needed or len(shared - common) >= needed - 1

        # A short denial borrows its subject from the sentence before it (stories.attach_denials).
        kept = {c.id for c in g.claims if (c.polarity == "denied" and len(c.words) < SHORT_DENIAL)
                or any(close(c, o) for o in g.claims if o.source_id != c.source_id)}
        kept = _most_shared(g, kept, PER_SOURCE_IN_GROUP)
        if len(kept) == len(g.claims):
            out.append(g)
            continue
        staying = tuple(c for c in g.claims if c.id in kept)
        loose = [c for c in g.claims if c.id not in kept]
        if len({c.source_id for c in staying}) >= 2:
            out.append(Group(claims=staying, score=g.score, rules=g.rules))
        else:
            loose = list(g.claims)
        out.extend(Group(claims=(c,), score=g.score) for c in loose)
    return tuple(out)


# One fact is told in a sentence or two by a source: a third sentence of one source in a group is
# a topic the aligner chained in, and stands alone unless it shares the most with the others.
PER_SOURCE_IN_GROUP = 2


def _most_shared(g: Group, kept: set[str], most: int) -> set[str]:
    """Of each source's kept claims, the `most` that share the most words with other sources' claims."""
    by_source: dict[str, list[Claim]] = defaultdict(list)
    for c in g.claims:
        if c.id in kept:
            by_source[c.source_id].append(c)
    if all(len(claims) <= most for claims in by_source.values()):
        return kept
    out = set()
    for sid, claims in by_source.items():
        others = set().union(*(story_words(o) for o in g.claims if o.source_id != sid and o.id in kept))
        ranked = sorted(claims, key=lambda c: (-len(story_words(c) & others), c.sentence.index))
        out.update(c.id for c in ranked[:most])
    return out


def told_by_facts(findings: list[Finding], facts: list[Finding]) -> list[Finding]:
    """Group findings that a fact's finding tells better: a single-source claim whose sentence a
    fact cites, and an agreement of sentences whose figures a fact finds in conflict."""
    cited = {c.id for f in facts for c in f.claims}
    clashing = {frozenset((f.claims[i].id, f.claims[j].id)) for f in facts for i, j in f.conflicts}
    out = []
    for finding in findings:
        ids = [c.id for c in finding.claims]
        if finding.verdict == "unique" and ids[0] in cited:
            continue
        if finding.verdict in ("agreement", "difference") and finding.kind != "denial":
            if all(i in cited for i in ids):
                continue
            if any(frozenset((a, b)) in clashing for n, a in enumerate(ids) for b in ids[n + 1:]):
                continue
        out.append(finding)
    return out


def _denies_topic(denials: list[Claim], claims: list[Claim]) -> bool:
    """A source whose own denials speak of this group's fact is not simply asserting it."""
    words = {w for c in claims for w in story_words(c)}
    return any(len(story_words(d) & words) >= 2 for d in denials)


def _topics_by_source(by_source: dict[str, list[Claim]]) -> dict[str, set[str]]:
    """For each source of a group, the figure categories the other sources' claims speak of."""
    mine = {sid: {cat for c in claims for cat in c.categories + tuple(q.category for q in c.quantities_that_count)}
            for sid, claims in by_source.items()}
    told_by = Counter(cat for cats in mine.values() for cat in cats)
    return {sid: {cat for cat, n in told_by.items() if n > (cat in cats)} for sid, cats in mine.items()}


def _flat_denial(claim: Claim) -> bool:
    """A denial, a debunk or a "false" that opposes a told fact; casting doubt alone does not
    ("experts cast doubt on the claim" hedges it, and the group reads it as hedged)."""
    return claim.polarity == "denied" and any(r.startswith("denial.") and r != "denial.doubt" for r in claim.rules)


def _source_stance(mine: list[Claim], close: bool, topics: set[str] = frozenset()) -> str:
    """How one source stands on a group's fact: denied, uncertain, hedged, asserted or rumour.

    A bare "not" counts as a denial only when the sentences are close paraphrases: negation
    is too common in news prose to oppose loosely related sentences.
    """
    if any(_flat_denial(c) or (close and c.polarity == "negated" and len(c.words) >= 5) for c in mine):
        return "denied"
    # "Packed with explosives, though it is unclear whether they caused casualties" is sure
    # about the explosives: its doubt counts only where the others speak of casualties too.
    if any(c.modality == "uncertain" and (not c.categories or set(c.categories) & topics) for c in mine):
        return "uncertain"
    if all(c.modality == "rumour" for c in mine):
        return "rumour"
    if all(c.modality in ("hedged", "rumour") or c.polarity == "denied"
           or (c.modality == "uncertain" and c.categories) for c in mine) \
            and any(c.modality != "uncertain" for c in mine):
        return "hedged"
    return "asserted"


def _without_doubts_told(findings: list[Finding], doubts: list[Finding]) -> list[Finding]:
    """A group's "stated vs unclear" whose doubts a toll's hedge row already sets against the toll:
    that row tells it, with every source's value."""
    told = {c.id for f in doubts for c in f.claims if c.modality == "uncertain"}
    return [f for f in findings if not (f.kind == "hedge" and f.verdict == "contradiction" and told and
                                        {c.id for c in f.claims if c.modality == "uncertain"} <= told)]


def _drop_covered(findings: list[Finding]) -> list[Finding]:
    """A toll finding repeats a group's finding over the same claims, or over some of them (one
    pair of sources where the toll finding gathers every pair that told the same figures): keep
    the fuller one."""
    seen: set[tuple] = set()
    # (verdict, topic) -> claim id -> the kept numeric findings' claim ids that hold it: a finding
    # covered by a fuller one shares its first claim with it, so only those are looked at.
    numeric: dict[tuple, dict[str | None, list[frozenset[str]]]] = defaultdict(lambda: defaultdict(list))
    out = []
    for finding in sorted(findings, key=lambda f: (-len(f.claims), order_key(f))):
        ids = frozenset(c.id for c in finding.claims)
        key = (finding.verdict, finding.kind, finding.summary) if finding.kind == "numeric" else \
            (finding.verdict, finding.kind, ids, finding.topic if finding.values else "")  # a fact's own
        if key in seen:
            continue
        if finding.kind == "numeric":
            fuller = numeric[(finding.verdict, finding.topic)]
            # (None lists them all: a finding without claims is covered by any.)
            if any(ids <= other for other in fuller.get(finding.claims[0].id if ids else None, ())):
                continue
            for claim_id in (*ids, None):
                fuller[claim_id].append(ids)
        seen.add(key)
        out.append(finding)
    return out


def _is_unique_worthy(claim: Claim) -> bool:
    """Single-source claims worth a fact-checker's look: not plain background, not a headline."""
    if claim.sentence.headline or claim.modality == "rumour":
        return False
    return bool(claim.quantities_that_count or _counts_something(claim) or claim.polarity == "denied"
                or claim.quote or claim.speaker)


def _counts_something(claim: Claim) -> tuple:
    """Figures of a counted noun ("about 80 people", "50,000 crowns"), not "several" or "dozens"."""
    return tuple(q for q in claim.quantities if q.counted and q.value is not None and q.bound != "vague")


def _unique_summary(claim: Claim) -> str:
    if claim.quantities_that_count:
        q = claim.quantities_that_count[0]
        return f"only {claim.source_id}: {q.text} ({q.category})"
    counted = _counts_something(claim)
    if counted and not claim.speaker:
        return f"only {claim.source_id}: {counted[0].text} {counted[0].counted}"
    return f"only {claim.source_id}" + (f", attributed to {claim.speaker}" if claim.speaker else "")
