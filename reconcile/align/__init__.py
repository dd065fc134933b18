"""Align: find the claims of different sources that tell the same fact, and group them.

No loop runs over all sentence pairs: an inverted index over rare features (content words,
names, figure categories) proposes candidate pairs, rapidfuzz scores only those (a batch per
claim with `process.extract`; from BATCH_PAIRS pairs on, one `process.cpdist` batch on every
CPU), and accepted pairs are merged into groups that can span every source.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from operator import itemgetter

from ..models import Claim, Group
from .blocking import Candidates, block
from .options import AlignOptions

__all__ = ["AlignOptions", "Candidates", "align", "block", "features", "group", "score", "tell_one_story",
           "with_meaning", "with_paraphrases"]


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


BATCH_PAIRS = 50_000  # from this many candidate pairs on, scored in one batch on every CPU (cpdist)
EXACT_LINK_PAIRS = 400  # up to this many cross pairs, the average-link guard checks them all
_OTHER_SPACE = re.compile(r"[^\S ]|  ")  # whitespace that is not one plain space
_QUOTED = re.compile(r'"([^"]{3,80})"')


def _quoted(norm: str) -> frozenset[str]:
    """Short quoted phrases: outlets that quote the same words report the same statement."""
    return frozenset(q.strip(" ,.") for q in _QUOTED.findall(norm) if len(q.split()) <= 8)


def score(claims: tuple[Claim, ...], candidates: Candidates, contexts: list[tuple[str, ...]],
          options: AlignOptions = AlignOptions()) -> list[float]:
    """Similarity of each candidate pair: rapidfuzz in batches, blended with the rare
    features (idf weight) the two claims share."""
    if not candidates.pairs:
        return []
    from rapidfuzz import fuzz, process

    texts = [" ".join(c.words + ctx) for c, ctx in zip(claims, contexts)]
    # token_sort_ratio is the plain ratio of the texts with their words sorted: sorting each text
    # once, not once per pair, makes it four times faster. Word and name tokens hold no other
    # whitespace than " ", which rapidfuzz and str.split() then split alike; else rapidfuzz sorts.
    if _OTHER_SPACE.search("\0".join(texts)):  # one search: NUL is no space, and splits two texts' spaces
        sorted_texts, sorted_ratio = texts, fuzz.token_sort_ratio
    else:
        sorted_texts, sorted_ratio = [" ".join(sorted(text.split())) for text in texts], fuzz.ratio
    if len(candidates.pairs) >= BATCH_PAIRS:  # numpy is loaded by then (blocking used it)
        return _score_batch(claims, candidates, texts, sorted_texts, sorted_ratio, options)
    else:
        # Each claim against all its candidate partners in one call: cpdist returns numpy arrays,
        # and importing numpy costs more than the scoring on a handful of articles.
        token_set = [0.0] * len(candidates.pairs)
        token_sort = [0.0] * len(candidates.pairs)
        partners: dict[int, list[int]] = defaultdict(list)
        for k, (a, _) in enumerate(candidates.pairs):
            partners[a].append(k)
        for a, ks in partners.items():
            for scorer, of, out in ((fuzz.token_set_ratio, texts, token_set), (sorted_ratio, sorted_texts, token_sort)):
                choices = [of[candidates.pairs[k][1]] for k in ks]
                for _, value, i in process.extract(of[a], choices, scorer=scorer, limit=None):
                    out[ks[i]] = value
    quoted = [_quoted(c.norm) if '"' in c.norm else frozenset() for c in claims]
    set_weight, sort_weight, shared_weight = options.set_weight, options.sort_weight, options.shared_weight
    scale, bonus = options.shared_scale, options.quote_bonus
    # token_set alone rewards a short sentence contained in a long one; the sorted ratio and the
    # shared rare-feature weight temper that.
    return [set_weight * set_score + sort_weight * sort_score + shared_weight * min(1.0, shared / scale)
            + (bonus if quoted[a] and quoted[a] & quoted[b] else 0.0)
            for (a, b), set_score, sort_score, shared in zip(candidates.pairs, token_set, token_sort, candidates.shared)]


def _score_batch(claims: tuple[Claim, ...], candidates: Candidates, texts: list[str], sorted_texts: list[str],
                 sorted_ratio, options: AlignOptions) -> list[float]:
    """`score` for many pairs: two `process.cpdist` batches on every CPU, blended with arrays (the
    same arithmetic in the same order as the loop of `score`, so the same floats)."""
    import numpy as np
    from rapidfuzz import fuzz, process

    lo, hi = [a for a, _ in candidates.pairs], [b for _, b in candidates.pairs]

    def batch(scorer, of: list[str]):
        pick = itemgetter(*lo), itemgetter(*hi)
        return process.cpdist(pick[0](of), pick[1](of), scorer=scorer, dtype=np.float64, workers=-1)

    token_set, token_sort = batch(fuzz.token_set_ratio, texts), batch(sorted_ratio, sorted_texts)
    shared = np.minimum(1.0, np.asarray(candidates.shared, dtype=np.float64) / options.shared_scale)
    blended = options.set_weight * token_set + options.sort_weight * token_sort + options.shared_weight * shared
    quoted = {i: _quoted(c.norm) for i, c in enumerate(claims) if '"' in c.norm}
    bonus = np.zeros(len(lo))
    for k in np.flatnonzero(np.isin(np.asarray(lo), list(quoted))).tolist() if quoted else ():
        if quoted[lo[k]] and quoted[lo[k]] & quoted.get(hi[k], frozenset()):
            bonus[k] = options.quote_bonus
    return (blended + bonus).tolist()


def group(claims: tuple[Claim, ...], pairs: list[tuple[float, int, int]], options: AlignOptions) -> tuple[Group, ...]:
    """Merge accepted pairs, best first, into groups; a group takes few claims of one source."""
    n = len(claims)
    source_of = [c.source_id for c in claims]
    parent = list(range(n))
    size = [1] * n  # of the group each root stands for
    members: dict[int, set[int]] = {i: {i} for i in range(n)}
    counts: dict[int, dict[str, int]] = {i: {sid: 1} for i, sid in enumerate(source_of)}  # per source
    best: dict[int, float] = {}
    partners: list[list[int]] = [[] for _ in range(n)]  # pairs are distinct: lists hold no repeats
    for _, a, b in pairs:
        partners[a].append(b)
        partners[b].append(a)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    cap = options.max_per_source
    refused: set[tuple[int, int, int, int]] = set()  # two groups, at their sizes, that may not merge
    ordered = sorted(pairs, key=itemgetter(1, 2))  # best first, ties by claims: two stable sorts on
    ordered.sort(key=itemgetter(0), reverse=True)  # plain keys cost less than one on built tuples
    for pair_score, a, b in ordered:
        ra = a if parent[a] == a else find(a)
        rb = b if parent[b] == b else find(b)
        if ra == rb:
            continue
        small, large = (ra, rb) if size[ra] <= size[rb] else (rb, ra)
        # Groups only grow, so two roots at the sizes they had when refused are refused again.
        state = (small, large, size[small], size[large])
        if state in refused:
            continue
        in_large = counts[large]
        if size[small] == 1:  # the commonest merge: one claim joins a group (or another claim)
            same_source = in_large.get(source_of[small], 0)
            if same_source >= cap:
                refused.add(state)
                continue
        elif any(in_large.get(sid, 0) + k > cap for sid, k in counts[small].items()):
            refused.add(state)
            continue
        # Average-link guard: chaining A~B~C must not make A and C one fact when they share
        # nothing; at least half of the cross-source pairs of the merged groups must align.
        if size[ra] * size[rb] <= EXACT_LINK_PAIRS:
            # Aligned pairs are all cross-source: count them from the smaller group's partners
            # (set intersections, in C, rather than a find per partner).
            if size[small] == 1:
                aligned = len(members[large].intersection(partners[small]))
                total = size[large] - same_source
            else:
                of_large = members[large].intersection
                aligned = sum(len(of_large(partners[x])) for x in members[small])
                total = size[ra] * size[rb] - sum(k * in_large.get(sid, 0) for sid, k in counts[small].items())
            if total and aligned * 2 < total:
                refused.add(state)
                continue
        else:
            # Big groups (one event told by hundreds of sources): the pairs through the two
            # claims that are being joined stand for the rest, so a merge costs what their
            # partners number, not what the groups do.
            aligned = len(members[rb].intersection(partners[a])) + len(members[ra].intersection(partners[b]))
            total = (size[rb] - counts[rb].get(source_of[a], 0) + size[ra] - counts[ra].get(source_of[b], 0))
        if total and aligned * 2 < total:
            continue
        root, other = min(ra, rb), max(ra, rb)
        parent[other] = root
        members[large] |= members[small]
        for sid, k in counts[small].items():
            in_large[sid] = in_large.get(sid, 0) + k
        size[root] = size[ra] + size[rb]
        members[root], counts[root] = members[large], in_large
        del members[other], counts[other]
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
    # Meaning for a fact-checker's handful of articles: past `meaning_claims` claims (about 150
    # articles) embedding every sentence costs more than a fifth of the run, for alignments that
    # the shared words already make.
    vectors = _meanings(claims) if options.meaning_weight and len(claims) <= options.meaning_claims else None
    if vectors is not None:
        candidates = with_paraphrases(claims, candidates, options, vectors)
    scores = score(claims, candidates, contexts, options)
    if vectors is not None and candidates.pairs:
        scores = with_meaning(candidates.pairs, scores, options, vectors)
    accepted = [(s, a, b) for s, (a, b) in zip(scores, candidates.pairs) if s >= options.cutoff]
    return group(claims, _drop_chance_links(claims, accepted, options), options)


def _meanings(claims: tuple[Claim, ...]):
    """Each claim's sentence embedding (rows in claim order), or None without the embedding files."""
    from . import meaning

    return meaning.embed([c.sentence.text for c in claims]) if claims and meaning.available() else None


def with_paraphrases(claims: tuple[Claim, ...], candidates: Candidates, options: AlignOptions, vectors) -> Candidates:
    """Candidates that blocking cannot propose, sharing no rare word: each claim's closest
    claims of other sources by meaning, from `paraphrase_cosine` on (a few per claim). All
    against all, so only for runs of up to `meaning_claims` claims (a fact-checker's handful)."""
    if len(claims) < 2:
        return candidates
    import numpy as np

    close = vectors @ vectors.T
    _, source_index = np.unique(np.array([c.source_id for c in claims]), return_inverse=True)
    close[source_index[:, None] == source_index[None, :]] = -1.0
    k = min(options.paraphrases_per_claim, len(claims) - 1)
    # Each row's k closest, all rows at once; among them, those close enough, as (low, high) pairs.
    best = np.argpartition(-close, k - 1, axis=1)[:, :k] if k > 0 else np.zeros((len(claims), 0), dtype=np.int64)
    rows = np.repeat(np.arange(len(claims)), best.shape[1])
    cols = best.ravel()
    keep = close[rows, cols] >= options.paraphrase_cosine
    pairs = np.stack([np.minimum(rows, cols), np.maximum(rows, cols)], axis=1)[keep]
    have = set(candidates.pairs)
    extra = sorted({(int(a), int(b)) for a, b in pairs.tolist()} - have)
    if not extra:
        return candidates
    return Candidates(pairs=candidates.pairs + tuple(extra), shared=candidates.shared + (0.0,) * len(extra))


def with_meaning(pairs: list[tuple[int, int]], scores: list[float], options: AlignOptions, vectors) -> list[float]:
    """Scores moved by what the sentences mean: their embeddings' cosine above `meaning_center`
    (in hundredths) raises a pair, so that a paraphrase with few shared words aligns."""
    import numpy as np

    from . import meaning

    cosines = meaning.similarities(vectors, pairs)
    moved = np.asarray(scores, dtype=np.float64) + options.meaning_weight * np.maximum(cosines * 100.0 - options.meaning_center, 0.0)
    return moved.tolist()


def tell_one_story(words_a: set[str], names_a: set[str], words_b: set[str], names_b: set[str],
                   names_needed: int, overlap_needed: float) -> bool:
    """Two texts about one story by their vocabulary as a whole: shared names or content words."""
    if len(names_a & names_b) >= names_needed:
        return True
    return len(words_a & words_b) >= overlap_needed * max(1, min(len(words_a), len(words_b)))


def _drop_chance_links(claims: tuple[Claim, ...], accepted: list[tuple[float, int, int]],
                       options: AlignOptions) -> list[tuple[float, int, int]]:
    """Alignments between two sources that align on little else and do not tell one story."""
    source_of = [c.source_id for c in claims]
    if len(set(source_of)) < options.story_sources:
        return accepted
    links = Counter((source_of[a], source_of[b]) for _, a, b in accepted)  # a's source sorts first
    few = {pair for pair, count in links.items() if count <= options.lone_links}
    if not few or len(few) > options.story_checks:
        return accepted
    involved = {sid for pair in few for sid in pair}
    words: dict[str, set[str]] = defaultdict(set)
    names: dict[str, set[str]] = defaultdict(set)
    for claim in claims:
        if claim.source_id in involved:
            words[claim.source_id].update(claim.words)
            names[claim.source_id].update(claim.names)
    chance = {(a, b) for a, b in few if not tell_one_story(words[a], names[a], words[b], names[b],
                                                           options.story_names, options.story_overlap)}
    return [link for link in accepted if (source_of[link[1]], source_of[link[2]]) not in chance]
