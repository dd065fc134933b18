"""Align: find the claims of different sources that tell the same fact, and group them.

No loop runs over all sentence pairs: an inverted index over rare features (content words,
names, figure categories) proposes candidate pairs, rapidfuzz scores only those in one batch
(`process.cpdist`), and accepted pairs are merged into groups that can span every source.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from .models import Claim, Group


@dataclass(frozen=True)
class AlignOptions:
    cutoff: float = 62.0  # combined score (0..100) a pair needs to be aligned
    max_postings: int = 400  # a feature in more claims than this proposes no candidates
    top_k: int = 12  # candidates kept per claim, best shared weight first
    min_shared: float = 1.5  # idf weight two claims must share to become candidates
    max_per_source: int = 3  # claims of one source in one group


@dataclass(frozen=True)
class Candidates:
    """Pairs (i < j) of claim indexes proposed by blocking, with their shared idf weight."""

    pairs: tuple[tuple[int, int], ...]
    shared: tuple[float, ...]


def features(claim: Claim, context: tuple[str, ...] = ()) -> frozenset[str]:
    """What blocking indexes: content words, names, figure categories (and anaphora context)."""
    out = set(claim.words) | set(context)
    out.update("n:" + name for name in claim.names)
    out.update("q:" + q.category for q in claim.quantities_that_count)
    return frozenset(out)


def _contexts(claims: tuple[Claim, ...]) -> list[tuple[str, ...]]:
    """A short denial ("Iran repeated its denial") borrows the words of the sentence before it."""
    out: list[tuple[str, ...]] = []
    for i, claim in enumerate(claims):
        previous = claims[i - 1] if i and claims[i - 1].source_id == claim.source_id else None
        if previous is not None and claim.polarity == "denied" and len(claim.words) < 6:
            out.append(previous.words + tuple(previous.names))
        else:
            out.append(())
    return out


def block(claims: tuple[Claim, ...], feature_sets: list[frozenset[str]], options: AlignOptions) -> Candidates:
    """Candidate pairs of claims from different sources that share rare features."""
    postings: dict[str, list[int]] = defaultdict(list)
    for index, feats in enumerate(feature_sets):
        for feat in feats:
            postings[feat].append(index)
    total = len(claims) or 1
    shared: dict[tuple[int, int], float] = defaultdict(float)
    for feat, members in postings.items():
        if len(members) < 2 or len(members) > options.max_postings:
            continue
        weight = math.log(1 + total / len(members)) * (1.5 if feat.startswith(("n:", "q:")) else 1.0)
        for a_pos, a in enumerate(members):
            source_a = claims[a].source_id
            for b in members[a_pos + 1:]:
                if claims[b].source_id != source_a:
                    shared[(a, b)] += weight
    best: dict[int, list[tuple[float, tuple[int, int]]]] = defaultdict(list)
    for pair, weight in shared.items():
        if weight >= options.min_shared:
            best[pair[0]].append((weight, pair))
            best[pair[1]].append((weight, pair))
    kept: set[tuple[int, int]] = set()
    for ranked in best.values():
        ranked.sort(key=lambda item: (-item[0], item[1]))
        kept.update(pair for _, pair in ranked[: options.top_k])
    pairs = tuple(sorted(kept))
    return Candidates(pairs, tuple(shared[p] for p in pairs))


def score(claims: tuple[Claim, ...], candidates: Candidates, contexts: list[tuple[str, ...]]) -> list[float]:
    """Similarity of each candidate pair: rapidfuzz in one batch, blended with the rare
    features (idf weight) the two claims share."""
    if not candidates.pairs:
        return []
    from rapidfuzz import fuzz, process

    texts = [" ".join(c.words + ctx) for c, ctx in zip(claims, contexts)]
    left = [texts[a] for a, _ in candidates.pairs]
    right = [texts[b] for _, b in candidates.pairs]
    token_set = process.cpdist(left, right, scorer=fuzz.token_set_ratio, workers=1)
    token_sort = process.cpdist(left, right, scorer=fuzz.token_sort_ratio, workers=1)
    scores = []
    for set_score, sort_score, shared in zip(token_set.tolist(), token_sort.tolist(), candidates.shared):
        # token_set alone rewards a short sentence contained in a long one; the sorted ratio
        # and the shared rare-feature weight temper that.
        scores.append(0.45 * set_score + 0.35 * sort_score + 20.0 * min(1.0, shared / 8.0))
    return scores


def group(claims: tuple[Claim, ...], pairs: list[tuple[float, int, int]], options: AlignOptions) -> tuple[Group, ...]:
    """Merge accepted pairs, best first, into groups; a group takes few claims of one source."""
    parent = list(range(len(claims)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(claims))}
    best: dict[int, float] = {}
    linked = {(a, b) for _, a, b in pairs} | {(b, a) for _, a, b in pairs}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for pair_score, a, b in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        merged = members[ra] + members[rb]
        per_source: dict[str, int] = defaultdict(int)
        for index in merged:
            per_source[claims[index].source_id] += 1
        if max(per_source.values()) > options.max_per_source:
            continue
        # Average-link guard: chaining A~B~C must not make A and C one fact when they share
        # nothing; at least half of the cross-source pairs of the merged groups must align.
        cross = [(x, y) for x in members[ra] for y in members[rb] if claims[x].source_id != claims[y].source_id]
        if cross and sum((x, y) in linked for x, y in cross) * 2 < len(cross):
            continue
        root, other = min(ra, rb), max(ra, rb)
        parent[other] = root
        members[root] = merged
        del members[other]
        best[root] = max(pair_score, best.get(ra, 0.0), best.get(rb, 0.0))
    groups = []
    for root, indexes in members.items():
        chosen = tuple(claims[i] for i in sorted(indexes))
        groups.append(Group(claims=chosen, score=round(best.get(root, 0.0), 1)))
    return tuple(sorted(groups, key=lambda g: (g.claims[0].source_id, g.claims[0].sentence.index)))


def align(claims: tuple[Claim, ...], options: AlignOptions = AlignOptions()) -> tuple[Group, ...]:
    """Group the claims of all sources; claims nobody else tells stay in groups of one."""
    claims = tuple(sorted(claims, key=lambda c: (c.source_id, c.sentence.index)))
    contexts = _contexts(claims)
    feature_sets = [features(c, ctx) for c, ctx in zip(claims, contexts)]
    candidates = block(claims, feature_sets, options)
    scores = score(claims, candidates, contexts)
    accepted = [(s, a, b) for s, (a, b) in zip(scores, candidates.pairs) if s >= options.cutoff]
    return group(claims, accepted, options)
