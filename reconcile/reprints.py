"""Wire copies counted once: articles that are one agency story reprinted with small edits.

Three outlets that print the same wire story do not make three sources. Two articles are copies
when their word 5-shingles overlap by REPRINT_JACCARD or more (Jaccard) and neither gives a figure
(digits, number words) that the other lacks while lacking one the other gives: an outlet that
reprints a story but changes the toll tells the story its own way, and that must reach the judge.
A copy that only drops something (the dateline's day, a closing paragraph) is still a copy; the
copy kept is then one that gives every figure, so that folding loses none. When copies of one
article are all there is, they are compared as given.

Candidates come from an inverted index of about one shingle in SAMPLE, not from all pairs: a
shingle that more than MAX_POSTINGS articles share (a boilerplate line, or a wire story that many
outlets print) proposes only the pairs of articles next to each other in its list, and a pair
needs MIN_SHARED of them in common before its whole Jaccard is computed. Measured on 1,000 real
bodies and 1,000 synthetic ones: README.md, "Wire copies counted once".
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict

from .models import ReprintGroup, Source

SHINGLE_WORDS = 5
# Measured (README.md, "Wire copies counted once"): among 1,000 real FNC-1 bodies, pairs from 0.6 on are one text
# with a changed opening, byline or a sentence or two; pairs between 0.3 and 0.6 are rewrites that
# copy paragraphs but add their own. The fixtures' different outlets on one event score at most
# 0.04 (and two drafts that differ in two figures 0.72, which the figures tell apart).
REPRINT_JACCARD = 0.6
MAX_POSTINGS = 50
MIN_SHARED = 3  # sampled shingles a pair must share before its Jaccard is computed
SAMPLE = 4
MIN_WORDS = 25  # shorter texts are never taken for copies: two one-line items may share their words by chance
# A pair whose sampled shingles' Jaccard is under this share of the threshold is not looked at
# closer: among the 1,683 FNC-1 bodies, the 96 pairs at or above the threshold sample at least 0.84 of it.
ESTIMATE_SHARE = 0.5

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds thousand thousands "
    "million millions billion dozen dozens".split())


def shingles(text: str) -> frozenset[tuple[str, ...]]:
    """The article's runs of SHINGLE_WORDS words, lower-cased (a short text: its words as one run)."""
    return _shingles(_WORD.findall(text.lower()))


def _shingles(words: list[str]) -> frozenset[tuple[str, ...]]:
    if len(words) < SHINGLE_WORDS:
        return frozenset([tuple(words)]) if words else frozenset()
    # zip of shifted lists builds the tuples in C: joining strings cost half the time of 1,000 bodies
    return frozenset(zip(*(words[i:] for i in range(SHINGLE_WORDS))))


def figures(text: str) -> frozenset[str]:
    """The numbers the article gives, as digits or as words: a copy must give the same ones."""
    words = _WORD.findall(text.lower())
    return frozenset(w for w in words if w.isdigit() or w in _NUMBER_WORDS) | frozenset(
        re.findall(r"\d[\d,.]*\d|\d", text))


def _same_figures(fa: frozenset[str], fb: frozenset[str]) -> bool:
    """No figure of one is missing from the other, or the other way round: a copy may drop the
    dateline's day or a paragraph, but one that gives a figure the other does not give changed it."""
    return fa <= fb or fb <= fa


def jaccard(a: frozenset, b: frozenset) -> float:
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def _sampled(words: list[str]) -> set[tuple[str, ...]]:
    """The shingles that start at an anchor word, about one in SAMPLE: chosen by the words alone,
    so that two copies of one text sample the same shingles (a random hash would not be the same
    from one run to the next)."""
    if len(words) < SHINGLE_WORDS:
        return {tuple(words)} if words else set()
    anchors = {w for w in set(words) if (ord(w[0]) + len(w)) % SAMPLE == 0}  # a test per distinct word
    last = len(words) - SHINGLE_WORDS
    return {tuple(words[i:i + SHINGLE_WORDS]) for i, w in enumerate(words) if w in anchors and i <= last}


def reprint_groups(sources: tuple[Source, ...], threshold: float = REPRINT_JACCARD) -> tuple[ReprintGroup, ...]:
    """The groups of sources that are copies of one article: each names the source kept (the
    earliest dated, else the first by id) and its reprints, by id. Whatever order the sources
    come in, the same groups."""
    sources = tuple(sorted(sources, key=lambda s: s.id))
    words = [_WORD.findall(s.text.lower()) for s in sources]
    postings: dict[tuple[str, ...], list[int]] = defaultdict(list)
    # A text of a few words is a sentence, not an article that could be reprinted
    sampled = [_sampled(doc) if len(doc) >= MIN_WORDS else set() for doc in words]
    for i, doc in enumerate(sampled):
        for shingle in doc:
            postings[shingle].append(i)
    shared: Counter[tuple[int, int]] = Counter()
    for docs in postings.values():
        if 1 < len(docs) <= MAX_POSTINGS:
            shared.update((a, b) for n, a in enumerate(docs) for b in docs[n + 1:])
        elif len(docs) > MAX_POSTINGS:
            # Neighbours only, in a list kept in source order: 60 copies of one story share all their
            # shingles, and each shingle then proposes the same chain of pairs, which the union-find
            # joins into one group, at the cost of a boilerplate line's length, not its square.
            shared.update(zip(docs, docs[1:]))
    sets: dict[int, frozenset] = {}  # whole shingle sets and figures, made only for the candidates
    numbers: dict[int, frozenset] = {}

    def shingled(i: int) -> frozenset:
        if i not in sets:
            sets[i] = _shingles(words[i])
        return sets[i]

    def figured(i: int) -> frozenset:
        if i not in numbers:
            numbers[i] = figures(sources[i].text)
        return numbers[i]

    parent = list(range(len(sources)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Unsorted: whether a pair is joined does not hang on the pairs before it, and the groups a
    # union-find ends with do not hang on the order of the joins (sorting 270,000 pairs of the
    # synthetic benchmark cost a quarter of the time).
    for (a, b), count in shared.items():
        if count < MIN_SHARED and count < min(len(words[a]), len(words[b])) // (SAMPLE * SHINGLE_WORDS) + 1:
            continue  # a short text samples few shingles: one shared is enough to look closer
        if count < ESTIMATE_SHARE * threshold * (len(sampled[a]) + len(sampled[b]) - count):
            continue  # the samples' own Jaccard is far below: related articles, not copies
        if jaccard(shingled(a), shingled(b)) >= threshold and _same_figures(figured(a), figured(b)):
            parent[max(root(a), root(b))] = min(root(a), root(b))
    index_of = {s.id: i for i, s in enumerate(sources)}
    members: dict[int, list[Source]] = defaultdict(list)
    for i, source in enumerate(sources):
        members[root(i)].append(source)
    groups = []
    for group in members.values():
        if len(group) < 2:
            continue
        # The copy that gives every figure any of them gives, so that folding loses none (a copy
        # may drop a paragraph, and the kept one must not be it); of those, the earliest dated,
        # the one the others reprint; undated copies come after dated ones.
        given = {s.id: figured(index_of[s.id]) for s in group}
        every = frozenset().union(*given.values())
        kept = min(group, key=lambda s: (len(every - given[s.id]), s.date is None, s.date or "", s.id))
        groups.append(ReprintGroup(source=kept.id, reprints=tuple(s.id for s in group if s is not kept)))
    return tuple(sorted(groups, key=lambda g: g.source))


def fold_reprints(sources: tuple[Source, ...]) -> tuple[tuple[Source, ...], tuple[ReprintGroup, ...]]:
    """(the sources without their reprints, the reprint groups)."""
    groups = reprint_groups(sources)
    dropped = {r for g in groups for r in g.reprints}
    return tuple(s for s in sources if s.id not in dropped), groups
