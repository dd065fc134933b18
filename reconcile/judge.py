"""Judge: give every group of aligned claims a verdict, with a topic, a summary and its evidence."""
from __future__ import annotations

import functools
import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass

from .claims.text import stem
from .figures import LABELS, TOLL_CATEGORIES, Figure, conflicts, describe, figures_of, revisions
from .lexicon import DEFAULT, Lexicon
from .models import Claim, Finding, Group, Source

VERDICT_ORDER = ("contradiction", "update", "difference", "agreement", "unique")


@dataclass(frozen=True)
class JudgeOptions:
    min_agreement_score: float = 62.0
    # A bare "not" opposing an affirmed paraphrase: off (negative) by default, since negation is
    # too common in news prose; measured on FNC-1 pairs it cost more precision than it gained.
    negation_margin: float = -1.0
    # Two sources tell the same story when they share this many names, or this share of
    # content words (of the shorter text), even if no sentence pair aligns closely.
    story_names: int = 3
    story_overlap: float = 0.2
    # One source debunks the shared story and the other does not when it has at least
    # debunk_skew times as many denials on the story, plus one.
    debunk_skew: int = 2
    # A plain negation ("the woman was not his wife") counts towards a source's debunking
    # when it shares this many story words with the other source (0: never).
    negation_overlap: int = 8


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
        if len(g.source_ids) >= 2:
            related.update(frozenset((a, b)) for a, b in _source_pairs(g.source_ids))
    story = StoryStance(by_source, options)
    groups = attach_denials(groups, by_source)
    for g in groups:
        ids = g.source_ids
        if len(ids) >= 2:
            findings.append(_judge_group(g, dates, story, options))
        else:
            claim = g.claims[0]
            if _is_unique_worthy(claim):
                findings.append(_finding("unique", None, _topic([claim]), _unique_summary(claim), 0.5, [claim], g.score))
    findings.extend(_compare_tolls(by_source, related, dates))
    same_story = related | _same_story(by_source, options)
    findings.extend(_story_denials(by_source, same_story, story, findings, options))
    findings = _drop_covered(findings)
    return tuple(sorted(findings, key=_order))


def attach_denials(groups: tuple[Group, ...], by_source: dict[str, list[Claim]]) -> tuple[Group, ...]:
    """A denial that aligned with nothing joins the group whose shared names it speaks of.

    "Iran has again denied supplying Russia with weapons" words nothing like "Russia is
    deploying Iranian-made drones", but both name Iran and Russia: the denial is evidence on
    that fact. A short denial ("Iran repeated its denial") borrows the names of the sentence
    before it. The denier must be one of the group's shared names, and the denial's own
    source must already tell the group's fact.
    """
    multi = [g for g in groups if len(g.source_ids) >= 2]
    extra: dict[int, list[Claim]] = {}
    kept: list[Group] = []
    for g in groups:
        claim = g.claims[0]
        if len(g.claims) > 1 or claim.polarity != "denied":
            kept.append(g)
            continue
        names = set(claim.names) | _previous_names(claim, by_source[claim.source_id])
        denier = claim.names[0] if claim.names else None  # the subject: "Iran denied ..."
        target = None
        for index, candidate in enumerate(multi):
            if claim.source_id not in candidate.source_ids:
                continue
            shared = _shared_names(candidate)
            if denier in shared and len(shared & names) >= 2:
                target = index
                break
        if target is None:
            kept.append(g)
        else:
            extra.setdefault(target, []).append(claim)
    if not extra:
        return groups
    merged = {id(g): g for g in kept}
    for index, claims in extra.items():
        g = multi[index]
        merged[id(g)] = Group(claims=tuple(sorted(g.claims + tuple(claims), key=lambda c: (c.source_id, c.sentence.index))),
                              score=g.score, rules=g.rules + ("judge.attach-denial",))
    return tuple(merged[id(g)] for g in groups if id(g) in merged)


def _previous_names(claim: Claim, claims: list[Claim]) -> set[str]:
    if len(claim.words) >= 6:
        return set()
    before = [c for c in claims if c.sentence.index == claim.sentence.index - 1]
    return set(before[0].names) if before else set()


def _shared_names(g: Group) -> set[str]:
    """Names that claims of at least two sources in the group mention."""
    seen: dict[str, set[str]] = defaultdict(set)
    for claim in g.claims:
        for name in claim.names:
            seen[name].add(claim.source_id)
    return {name for name, ids in seen.items() if len(ids) >= 2}


def _judge_group(g: Group, dates: dict, story: "StoryStance", options: JudgeOptions) -> Finding:
    claims = list(g.claims)
    close = options.negation_margin >= 0 and g.score >= options.min_agreement_score + options.negation_margin
    stance = {sid: _source_stance([c for c in claims if c.source_id == sid], close, _topics_besides(claims, sid))
              for sid in g.source_ids}
    deniers = [sid for sid, s in stance.items() if s == "denied"]
    asserters = [sid for sid, s in stance.items() if s in ("asserted", "hedged")
                 and not story.debunks_like(sid, [c for c in claims if c.source_id in deniers])
                 and not any(story.both_debunk(sid, d, options) for d in deniers)]
    topic = _topic(claims)
    if deniers and asserters:
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
    figures_stated = any(c.quantities_that_count for c in claims if c.source_id in asserters)
    if uncertain and asserters and figures_stated:
        summary = f"{topic}: stated by {', '.join(asserters)}; unclear in {', '.join(uncertain)}"
        return _finding("contradiction", "hedge", topic, summary, _confidence(g.score, 0.7), claims, g.score,
                        _rules(claims, "judge.hedge"))
    hedged = [sid for sid, s in stance.items() if s in ("hedged", "uncertain")]
    plain = [sid for sid, s in stance.items() if s == "asserted"]
    if hedged and plain:
        summary = f"{topic}: stated as fact by {', '.join(plain)}; hedged in {', '.join(hedged)}"
        return _finding("difference", "hedge", topic, summary, _confidence(g.score, 0.6), claims, g.score,
                        _rules(claims, "judge.hedge-difference"))
    kind = "denial" if deniers and not asserters else None
    summary = f"{topic}: told by {', '.join(g.source_ids)}"
    return _finding("agreement", kind, topic, summary, _confidence(g.score, 0.8), claims, g.score, ("judge.agreement",))


def _topics_besides(claims: list[Claim], source_id: str) -> set[str]:
    """Figure categories the other sources' claims in a group speak of."""
    return {cat for c in claims if c.source_id != source_id
            for cat in c.categories + tuple(q.category for q in c.quantities_that_count)}


def _source_stance(mine: list[Claim], close: bool, topics: set[str] = frozenset()) -> str:
    """How one source stands on a group's fact: denied, uncertain, hedged, asserted or rumour.

    A bare "not" counts as a denial only when the sentences are close paraphrases: negation
    is too common in news prose to oppose loosely related sentences.
    """
    if any(c.polarity == "denied" or (close and c.polarity == "negated" and len(c.words) >= 5) for c in mine):
        return "denied"
    # "Packed with explosives, though it is unclear whether they caused casualties" is sure
    # about the explosives: its doubt counts only where the others speak of casualties too.
    if any(c.modality == "uncertain" and (not c.categories or set(c.categories) & topics) for c in mine):
        return "uncertain"
    if all(c.modality == "rumour" for c in mine):
        return "rumour"
    if all(c.modality in ("hedged", "rumour") or (c.modality == "uncertain" and c.categories) for c in mine) \
            and any(c.modality != "uncertain" for c in mine):
        return "hedged"
    return "asserted"


class StoryStance:
    """Which sources debunk which story: a source that says a story is false elsewhere in its
    text is retelling it, not asserting it, when it repeats the story's details."""

    def __init__(self, by_source: dict[str, list[Claim]], options: "JudgeOptions | None" = None):
        self.negation_overlap = (options or JudgeOptions()).negation_overlap
        self.debunks = {sid: [c for c in claims if c.polarity == "denied"] for sid, claims in by_source.items()}
        self.negations = {sid: [c for c in claims if c.polarity == "negated"] for sid, claims in by_source.items()}
        self.vocab = {sid: {w for c in claims for w in _story_words(c)} for sid, claims in by_source.items()}

    def debunks_like(self, source_id: str, denials: list[Claim]) -> bool:
        """Whether the source has a denial of its own that tells the same story as `denials`."""
        theirs = set().union(*(_story_words(c) for c in denials)) if denials else set()
        return any(len(_story_words(c) & theirs) >= 2 for c in self.debunks.get(source_id, ()))

    def denier(self, a: str, b: str, options: "JudgeOptions") -> str | None:
        """The one of two sources that debunks what the other tells, if one clearly does."""
        da, db = len(self.topical(a, b)), len(self.topical(b, a))
        if da >= options.debunk_skew * db + 1:
            return a
        if db >= options.debunk_skew * da + 1:
            return b
        return None

    def both_debunk(self, a: str, b: str, options: "JudgeOptions") -> bool:
        """Both sources call the same story false (their denials share details), neither clearly more."""
        theirs = self.topical(b, a)
        return bool(theirs) and self.debunks_like(a, theirs) and self.denier(a, b, options) is None

    def topical(self, source_id: str, other_id: str) -> list[Claim]:
        """The source's denials that speak of something the other source tells."""
        vocab = self.vocab[other_id]
        found = [c for c in self.debunks[source_id] if _story_words(c) & vocab]
        if self.negation_overlap:
            found += [c for c in self.negations[source_id] if len(_story_words(c) & vocab) >= self.negation_overlap]
        return found


@functools.lru_cache(maxsize=8)
def stance_words(lexicon: Lexicon = DEFAULT) -> frozenset[str]:
    return frozenset(stem(w) for w in lexicon.get("words").get("stance_words", []))


def _story_words(claim: Claim, lexicon: Lexicon = DEFAULT) -> set[str]:
    return (set(claim.words) | set(claim.names)) - stance_words(lexicon)


def _subject(claim: Claim) -> str | None:
    """The name a denial opens with ("Iran has again denied ..."), if it opens with one."""
    if not claim.names:
        return None
    head = claim.norm[:40]
    name = claim.names[0]
    return name if head.startswith(name) or head.split(" ", 1)[-1].startswith(name) else None


def _same_story(by_source: dict[str, list[Claim]], options: JudgeOptions) -> set[frozenset[str]]:
    """Pairs of sources about the same story by their vocabulary as a whole."""
    names = {sid: {n for c in claims for n in c.names} for sid, claims in by_source.items()}
    words = {sid: {w for c in claims for w in c.words} for sid, claims in by_source.items()}
    out = set()
    for a, b in _source_pairs(sorted(by_source)):
        overlap = len(words[a] & words[b]) / max(1, min(len(words[a]), len(words[b])))
        if len(names[a] & names[b]) >= options.story_names or overlap >= options.story_overlap:
            out.add(frozenset((a, b)))
    return out


def _story_denials(by_source: dict[str, list[Claim]], related: set[frozenset[str]], story: StoryStance,
                   findings: list[Finding], options: JudgeOptions) -> list[Finding]:
    """One source calls the shared story false and the other tells it: a denial contradiction,
    even when no single sentence of one aligns closely with a sentence of the other."""
    out = []
    done = {frozenset(c.source_id for c in f.claims) for f in findings if f.kind == "denial" and f.verdict == "contradiction"}
    for a, b in _source_pairs(sorted(by_source)):
        pair = frozenset((a, b))
        if pair not in related or pair in done:
            continue
        denier = story.denier(a, b, options)
        if denier is None:
            continue
        teller = b if denier == a else a
        denials = {denier: story.topical(denier, teller)}
        denial = max(denials[denier], key=lambda c: (len(_story_words(c) & story.vocab[teller]), -c.sentence.index))
        words = _story_words(denial)
        tellings = [c for c in by_source[teller] if c.polarity == "affirmed" and c.modality != "rumour"]
        if not tellings:
            continue
        subjects = {_subject(c) for c in denials[denier]} - {None}
        # "Iran denied ..." is best opposed to a sentence about Iran: naming the denier counts
        # as one more shared word.
        told = max(tellings, key=lambda c: (len(_story_words(c) & words) + bool(subjects & set(c.names)),
                                            len(set(c.words) & words), -c.sentence.index))
        if not _story_words(told) & words:
            continue
        topic = _topic([denial, told])
        summary = f"{topic}: told by {teller}; called false or denied in {denier}"
        out.append(_finding("contradiction", "denial", topic, summary, 0.6, [denial, told], 0.0,
                            _rules([denial], "judge.denial.story")))
    return out


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


# Counts that can shrink between reports: the missing are found, the displaced go home.
CAN_FALL = ("missing", "displaced", "evacuated")


def _later(fa: Figure, fb: Figure, dates: dict) -> Figure | None:
    """The figure that revises the other: it says the figure rose (or fell), or its source was
    published later with a toll that only grows larger."""
    larger, smaller = (fa, fb) if fa.low >= fb.low else (fb, fa)
    if larger.change == "rose":
        return larger
    if smaller.change == "fell":
        return smaller
    da, db = dates.get(fa.claim.source_id), dates.get(fb.claim.source_id)
    if not (da and db) or str(da) == str(db):
        return None
    later = fa if str(da) > str(db) else fb
    return later if later is larger or later.category in CAN_FALL else None


def _compare_tolls(by_source: dict[str, list[Claim]], related: set[frozenset[str]], dates: dict) -> list[Finding]:
    """Deaths, injuries and missing compared between related sources however the sentences are worded."""
    out: list[Finding] = []
    ids = sorted(by_source)
    tolls = {sid: figures_of(tuple(by_source[sid]), TOLL_CATEGORIES) for sid in ids}
    for a, b in _source_pairs(ids):
        if frozenset((a, b)) not in related:
            continue
        for fa, fb in conflicts(tolls[a], tolls[b]) + revisions(tolls[a], tolls[b]):
            if _same_event(fa.claims, fb.claims, by_source[a] + by_source[b]):
                finding = _figure_finding(fa, fb, dates, 0.0, [])
                if finding.verdict == "update" or not fa.change and not fb.change:
                    out.append(finding)
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


def _same_event(left: tuple[Claim, ...], right: tuple[Claim, ...], everything: list[Claim]) -> bool:
    """Tolls worded differently are of one event unless one names a year the other source never
    mentions ("the 2001 attack killed 2,753" is not today's toll)."""
    def years(claims):
        return {q.value for c in claims for q in c.quantities if q.category == "year"}

    by_source: dict[str, set] = defaultdict(set)
    for claim in everything:
        by_source[claim.source_id] |= years([claim])
    for mine, theirs in ((left, right), (right, left)):
        other_years = by_source[theirs[0].source_id] if theirs else set()
        if years(mine) - other_years:
            return False
    return True


def _drop_covered(findings: list[Finding]) -> list[Finding]:
    """A toll finding repeats a group's finding over the same claims: keep one."""
    seen: set[tuple] = set()
    out = []
    for finding in sorted(findings, key=lambda f: (-len(f.claims), _order(f))):
        key = (finding.verdict, finding.kind, finding.summary) if finding.kind == "numeric" else \
            (finding.verdict, finding.kind, frozenset(c.id for c in finding.claims))
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
