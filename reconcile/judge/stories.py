"""Stories: who debunks what, and denials that belong with a group of aligned claims."""
from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict

from ..align import tell_one_story
from ..claims.text import content_words, stem
from ..support.lexicon import DEFAULT, Lexicon
from ..models import Claim, Finding, Group
from .findings import make_finding, rule_ids, source_pairs, topic_of
from .options import JudgeOptions
from .related import events


# "Police arrested 8 people, though Ukraine has denied any role": the sentence tells the arrests;
# the denial in its conceding clause is no denial of another group's fact.
_CONCEDED_DENIAL = re.compile(r"[,;]\s*(?:even\s+)?(?:though|although|while|whereas|but)\b[^.;]*\bden(?:y|ies|ied|ial)", re.I)


def attach_denials(groups: tuple[Group, ...], by_source: dict[str, list[Claim]]) -> tuple[Group, ...]:
    """A denial that aligned with nothing joins the group whose shared names it speaks of.

    "Iran has again denied supplying Russia with weapons" words nothing like "Russia is
    deploying Iranian-made drones", but both name Iran and Russia: the denial is evidence on
    that fact. A short denial ("Iran repeated its denial") borrows the names of the sentence
    before it. The denier must be one of the group's shared names, and the denial's own
    source must already tell the group's fact.
    """
    multi = [g for g in groups if len(g.source_ids) >= 2]
    telling: dict[str, list[int]] = defaultdict(list)  # source -> the multi groups it tells, in order
    for index, g in enumerate(multi):
        for source_id in g.source_ids:
            telling[source_id].append(index)
    shared_names: dict[int, set[str]] = {}
    extra: dict[int, list[Claim]] = {}
    kept: list[Group] = []
    for g in groups:
        claim = g.claims[0]
        if len(g.claims) > 1 or claim.polarity != "denied" or _CONCEDED_DENIAL.search(claim.sentence.text):
            kept.append(g)
            continue
        names = set(claim.names) | _previous_names(claim, by_source[claim.source_id])
        denier = claim.names[0] if claim.names else None  # the subject: "Iran denied ..."
        target = None
        for index in telling[claim.source_id] if denier else ():
            if index not in shared_names:
                shared_names[index] = _shared_names(multi[index])
            shared = shared_names[index]
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


class StoryStance:
    """Which sources debunk which story: a source that says a story is false elsewhere in its
    text is retelling it, not asserting it, when it repeats the story's details."""

    def __init__(self, by_source: dict[str, list[Claim]], options: "JudgeOptions | None" = None):
        self.negation_overlap = (options or JudgeOptions()).negation_overlap
        self.by_source = by_source
        self.debunks = {sid: [c for c in claims if c.polarity == "denied"] for sid, claims in by_source.items()}
        self.negations = {sid: [c for c in claims if c.polarity == "negated"] for sid, claims in by_source.items()}
        self.vocab = _Vocabularies(by_source)
        self._worded: dict[str, tuple[list, list]] = {}  # source -> its debunks and negations with their words
        self._topical: dict[tuple[str, str], list[Claim]] = {}  # (source, other) -> topical(source, other)

    @functools.cached_property
    def common(self) -> frozenset[str]:
        """Names and words in more than a twelfth of the run's claims: the story's, not a fact's."""
        claims = [c for claims in self.by_source.values() for c in claims]
        spread = Counter(w for c in claims for w in set(c.names) | set(c.words))
        return frozenset(w for w, n in spread.items() if n > max(3, len(claims) / 12))

    def debunks_like(self, source_id: str, denials: list[Claim], shared: int = 2) -> bool:
        """Whether the source has a denial of its own that tells the same story as `denials`."""
        theirs = set().union(*(story_words(c) for c in denials)) if denials else set()
        return any(len(story_words(c) & theirs) >= shared for c in self.debunks.get(source_id, ()))

    def denier(self, a: str, b: str, options: "JudgeOptions") -> str | None:
        """The one of two sources that debunks what the other tells, if one clearly does."""
        da, db = _weight(self.topical(a, b)), _weight(self.topical(b, a))
        da = da or _weight(self.bare_debunks(a, b))
        db = db or _weight(self.bare_debunks(b, a))
        if da >= options.debunk_skew * db + 1:
            return a
        if db >= options.debunk_skew * da + 1:
            return b
        return None

    def bare_debunks(self, source_id: str, other_id: str) -> list[Claim]:
        """The source's debunks in words of its own ("the whole thing is almost certainly fake"),
        when none of its debunks speaks of what the other source tells and the other debunks
        nothing: the source calls the story they share false without retelling it. A debunk
        that names what it denies ("no record to support claims of bias") denies something else."""
        if self.debunks[other_id] or not self.debunks[source_id] or self.topical(source_id, other_id):
            return []
        return [c for c in self.debunks[source_id] if not _NAMED_TARGET.search(c.norm)]

    def disputes(self, source_id: str, other_id: str) -> bool:
        """Whether the source itself calls false or denies something the other source tells, in
        its own voice: then it is a second debunker, not a plain teller of the story. The denial
        must share DISPUTE_WORDS story words with the other source ("the Kelby water board denied
        a request" shares a town with a resignation story, and disputes none of it); a denial in
        a conceding clause ("8 were arrested, though Ukraine has denied any role") is context."""
        found = self.topical(source_id, other_id)  # most sources deny nothing: no vocabulary gathered then
        return bool(found) and any(len(story_words(c) & self.vocab[other_id]) >= DISPUTE_WORDS
                                   and not _CONCEDED_DENIAL.search(c.sentence.text) for c in found)

    def topical(self, source_id: str, other_id: str) -> list[Claim]:
        """The source's denials that speak of something the other source tells."""
        found = self._topical.get((source_id, other_id))
        if found is None:
            debunks, negations = self._words_of(source_id)
            found = []
            if debunks or negations:  # most sources deny nothing: no vocabulary to gather
                vocab = self.vocab[other_id]
                found = [c for c, words in debunks if not words.isdisjoint(vocab)]
                found += [c for c, words in negations if len(words & vocab) >= self.negation_overlap]
            self._topical[(source_id, other_id)] = found
        return found

    def _words_of(self, source_id: str) -> tuple[list, list]:
        # Every pair of sources asks for these: a source's are gathered once, not once per pair.
        worded = self._worded.get(source_id)
        if worded is None:
            worded = self._worded[source_id] = (
                [(c, story_words(c)) for c in self.debunks[source_id]],
                [(c, negated_clause_words(c)) for c in self.negations[source_id]] if self.negation_overlap else [])
        return worded


class _Vocabularies(dict):
    """Each source's story words, gathered when first asked for: only sources that meet a denial are."""

    def __init__(self, by_source: dict[str, list[Claim]]):
        super().__init__()
        self.by_source = dict(by_source)  # a snapshot: an unknown source stays a KeyError

    def __missing__(self, source_id: str) -> set[str]:
        words = self[source_id] = {w for c in self.by_source[source_id] for w in story_words(c)}
        return words


@functools.lru_cache(maxsize=8)
def stance_words(lexicon: Lexicon = DEFAULT) -> frozenset[str]:
    return frozenset(stem(w) for w in lexicon.get("words").get("stance_words", []))


@functools.lru_cache(maxsize=65536)
def story_words(claim: Claim, lexicon: Lexicon = DEFAULT) -> frozenset[str]:
    """What a claim tells, without the words of stance ("false", "denied", "report")."""
    return frozenset((set(claim.words) | set(claim.names)) - stance_words(lexicon))


_CLAUSE = re.compile(r"[,;:]\s+|\s+(?:and|but|while|whereas|although|though)\s+")
_NEGATION = re.compile(r"\b(?:not|never|no\s+longer|cannot|neither|nor)\b|n't\b")


@functools.lru_cache(maxsize=65536)
def negated_clause_words(claim: Claim) -> frozenset[str]:
    """Story words of the clauses that carry the negation: in "X hit the city and said it would
    not break", only "said it would not break" is negated."""
    clauses = [c for c in _CLAUSE.split(claim.norm) if _NEGATION.search(c)]
    words = set(content_words(" ".join(clauses))) if clauses else set()
    names = {n for n in claim.names if any(n in c for c in clauses)}
    return frozenset((words | names) - stance_words())


_DENIER = re.compile(r"^(?:\w+\s+){0,2}?(?P<name>[\w'.\- ]{2,40}?)\s+(?:has\s+|have\s+|had\s+)?(?:again\s+|also\s+|since\s+|"
                     r"previously\s+|repeatedly\s+|flatly\s+|strongly\s+)*(?:den(?:y|ies|ied)|rejected|dismissed|"
                     r"refuted|repeated\s+(?:its|his|her|their)\s+denial)\b")


# "... claims of racial bias", "posts about looting": what a denial names as its target.
_NAMED_TARGET = re.compile(r"\b(?:claims?|reports?|allegations?|accusations?|suggestions?|rumou?rs?|charges?|posts?|"
                           r"messages?|tweets?|videos?|photos?|pictures?|images?|footage|clips?)\s+(?:of|that|about|showing)\s+[\"'\w]")
DISPUTE_WORDS = 2
STORY_ECHO = 3  # story words a teller's own denial must share with the denier's to be the same debunk
LEAD_WEIGHT = 3.0


def _weight(denials: list[Claim]) -> float:
    """A denial in the headline or the first sentences states the article's stance: it weighs more."""
    return sum(LEAD_WEIGHT if c.sentence.index < 3 else 1.0 for c in denials)


def denier_of(claim: Claim) -> str | None:
    """Who denies, when the denial opens with a name and a denial verb ("Iran has again denied")."""
    match = _DENIER.match(claim.norm)
    if not match:
        return None
    head = match.group("name")
    return next((name for name in claim.names if name in head), None)


def same_story(by_source: dict[str, list[Claim]], options: JudgeOptions) -> set[frozenset[str]]:
    """Pairs of sources about the same story by their vocabulary as a whole."""
    names = {sid: {n for c in claims for n in c.names} for sid, claims in by_source.items()}
    words = {sid: {w for c in claims for w in c.words} for sid, claims in by_source.items()}
    return {frozenset((a, b)) for a, b in source_pairs(sorted(by_source))
            if tell_one_story(words[a], names[a], words[b], names[b], options.story_names, options.story_overlap)}


StoryCase = tuple  # (key: (event, who, denial text), (denial claim, told claim, denier, teller))


def denial_pairs(findings: list[Finding]) -> set[frozenset[str]]:
    """The pairs of sources a denial contradiction already opposes: each source that denies in it
    against each other source in it (a source there only with a doubt opposes no one yet)."""
    pairs = set()
    for f in findings:
        if f.kind == "denial" and f.verdict == "contradiction":
            deniers = {c.source_id for c in f.claims if c.polarity == "denied"}
            pairs.update(frozenset((d, c.source_id)) for d in deniers for c in f.claims if c.source_id != d)
    return pairs


class StoryCases:
    """One source calls the shared story false and the other tells it: a denial contradiction,
    even when no single sentence of one aligns closely with a sentence of the other. For each
    given pair of sources (those about one story), its StoryCase or None; the judge drops the
    pairs a group's denial already opposes (`denial_pairs`) and merges the rest by event
    (`story_findings`). Pairs are independent of one another, so two processes may share them."""

    def __init__(self, by_source: dict[str, list[Claim]], pairs: list[tuple[str, str]], story: StoryStance,
                 options: JudgeOptions):
        self.by_source, self.pairs, self.story, self.options = by_source, pairs, story, options
        self.event = events(pairs)
        self.told_by: dict[str, list[tuple]] = {}  # teller -> its tellings with their words, names and story words

    def of(self, index: int) -> StoryCase | None:
        story, (a, b) = self.story, self.pairs[index]
        denier = story.denier(a, b, self.options)
        if denier is None:
            return None
        teller = b if denier == a else a
        bare = not story.topical(denier, teller)
        denials = story.bare_debunks(denier, teller) if bare else story.topical(denier, teller)
        if story.debunks_like(teller, denials, STORY_ECHO):
            return None  # the teller debunks the same story itself
        denial = max(denials, key=lambda c: (len(story_words(c) & story.vocab[teller]), -c.sentence.index))
        words = story_words(denial)
        tellings = self.told_by.get(teller)
        if tellings is None:
            tellings = self.told_by[teller] = [
                (c, story_words(c), frozenset(c.names), frozenset(c.words))
                for c in self.by_source[teller] if c.polarity == "affirmed" and c.modality != "rumour"]
        if not tellings:
            return None
        subjects = {denier_of(c) for c in denials} - {None}
        # "Iran denied ..." is best opposed to a sentence about Iran: naming the denier counts
        # as two more shared words.
        told, told_words, _, _ = max(tellings, key=lambda t: (len(t[1] & words) + 2 * (not subjects.isdisjoint(t[2])),
                                                              len(t[3] & words), -t[0].sentence.index))
        if told_words.isdisjoint(words):
            if not bare:
                return None
            # A debunk in words of its own is held against the teller's first telling: its lead.
            told = min(tellings, key=lambda t: t[0].sentence.index)[0]
        return (self.event[denier], denier_of(denial) or "", denial.norm), (denial, told, denier, teller)


def story_findings(cases) -> list[Finding]:
    """The findings of story cases, in pair order: one per event, denier and denial."""
    found: dict[tuple[str, str, str], list[tuple[Claim, Claim, str, str]]] = {}  # (event, who, denial) -> cases
    for key, case in cases:
        found.setdefault(key, []).append(case)
    out = []
    for (_, who, _), cases in found.items():
        denial, told = cases[0][:2]
        topic = topic_of([denial, told], figures=False)
        if who and who.title() not in topic:
            topic = f"{who.title()} {topic}"
        deniers = ", ".join(sorted({case[2] for case in cases}))
        tellers = ", ".join(sorted({case[3] for case in cases}))
        denied = f"reported as denied by {who.title()} in {deniers}" if who else f"called false or denied in {deniers}"
        told_as = "told as possible" if all(case[1].modality == "hedged" for case in cases) else "told"
        summary = f"{topic}: {told_as} by {tellers}; {denied}"
        out.append(make_finding("contradiction", "denial", topic, summary, 0.6, [c for case in cases for c in case[:2]],
                                0.0, rule_ids([case[0] for case in cases], "judge.denial.story")))
    return out
