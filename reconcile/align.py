"""Align: find the claims of different sources that tell the same fact, and group them.

No loop runs over all sentence pairs: an inverted index over rare features (content words,
names, figure categories) proposes candidate pairs, rapidfuzz scores only those, a batch per
claim (`process.extract`), and accepted pairs are merged into groups that can span every source.
"""
from __future__ import annotations

import math
import re
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
    # score = set_weight * token_set_ratio + sort_weight * token_sort_ratio
    #         + shared_weight * min(1, shared idf weight / shared_scale)
    set_weight: float = 0.45
    sort_weight: float = 0.35
    shared_weight: float = 20.0
    shared_scale: float = 8.0
    quote_bonus: float = 8.0  # two sentences that put the same words in quotation marks
    # In a run of at least `story_sources` sources (a monitoring desk's day, not a fact-checker's
    # handful, which the user chose as one event), two sources that align on no more than
    # `lone_links` sentence pairs must also tell one story as wholes: share `story_names` names
    # or `story_overlap` of the smaller one's content words. Among unrelated articles a shared
    # "claimed responsibility" is a coincidence. Checked while there are at most `story_checks`
    # such pairs of sources (one event told by hundreds of sources has more, and needs no check).
    story_sources: int = 6
    lone_links: int = 2
    story_names: int = 3
    story_overlap: float = 0.2
    story_checks: int = 50_000


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


# Blocking works on arrays (numpy, imported on first use): an inverted index over feature ids.
_EXACT_PAIRS = 1_000_000  # pairs that postings may contribute exhaustively, at least ...
_EXACT_PAIRS_PER_CLAIM = 64  # ... or this many per claim, for large runs
_WINDOW = 8  # in a long posting, each claim meets this many neighbours on either side
_WINDOW_FEATURES = 4  # a claim is walked in its rarest long postings only


def block(claims: tuple[Claim, ...], feature_sets: list[frozenset[str]], options: AlignOptions) -> Candidates:
    """Candidate pairs of claims from different sources that share rare features.

    A feature (content word, name, figure category) weighs log(1 + claims / postings), names and
    figures 1.5 times more; a pair's shared weight is the sum over the features both claims have.
    A feature in more claims than `max_postings`, or than twice the number of sources when that
    is more (in a run of many articles about one event, a fact's words are in about one claim per
    source), weighs nothing. The shortest postings are paired exhaustively, as far as a budget
    that grows linearly with the number of claims allows (on a few articles: all of them); in
    a longer posting each claim meets its `_WINDOW` nearest members in an order that puts claims
    with the same rarest features side by side, so the work stays linear in the number of claims.
    A pair's shared weight is then summed over all the features the two claims have in common,
    and each claim keeps its `top_k` partners with the most shared weight.
    """
    n = len(claims)
    if n < 2 or len({c.source_id for c in claims}) < 2:
        return Candidates((), ())
    small = _block_small(claims, feature_sets, options)
    if small is not None:
        return small
    import numpy as np

    codes: dict[str, int] = {}
    source = np.fromiter((codes.setdefault(c.source_id, len(codes)) for c in claims), np.int64, n)
    if len(codes) < 2:
        return Candidates((), ())
    vocab = {feat: i for i, feat in enumerate(sorted(set().union(*feature_sets)))}
    sizes = np.fromiter((len(feats) for feats in feature_sets), np.int64, n)
    cols = np.fromiter((vocab[f] for feats in feature_sets for f in feats), np.int64, int(sizes.sum()))
    rows = np.repeat(np.arange(n, dtype=np.int64), sizes)
    postings = np.bincount(cols, minlength=len(vocab))
    boost = np.fromiter((1.5 if f.startswith(("n:", "q:")) else 1.0 for f in vocab), np.float64, len(vocab))
    # A feature only one source uses pairs nothing across sources: drop it before pairing, so a
    # single huge source costs no more than its own claims.
    first = np.full(len(vocab), len(codes), np.int64)
    last = np.full(len(vocab), -1, np.int64)
    np.minimum.at(first, cols, source[rows])
    np.maximum.at(last, cols, source[rows])
    useful = (postings >= 2) & (postings <= max(options.max_postings, 2 * len(codes))) & (first != last)
    weight = np.where(useful, np.log1p(n / np.maximum(postings, 1)) * boost, 0.0)
    keep = useful[cols]
    rows, cols = rows[keep], cols[keep]
    if not rows.size:
        return Candidates((), ())

    # The postings paired exhaustively: the shortest, up to the budget and to max_postings.
    fsize = np.sort(postings[np.unique(cols)])
    work = np.cumsum(fsize * (fsize - 1) // 2)
    budget = max(_EXACT_PAIRS, _EXACT_PAIRS_PER_CLAIM * n)
    cap = min(int(fsize[work <= budget].max()) if work[0] <= budget else 1, options.max_postings)
    exact = postings[cols] <= cap
    # Entries by feature, and inside a long posting in the order of _similarity_order.
    rank = _similarity_order(rows[~exact], cols[~exact], postings, n, np)
    order = np.lexsort((rank[rows], cols))
    rows, cols, exact = rows[order], cols[order], exact[order]

    found: list[tuple] = []  # (pair keys lo * n + hi, weights) of cross-source pairs

    def add(a, b, w):
        cross = source[a] != source[b]
        a, b = a[cross], b[cross]
        found.append((np.minimum(a, b) * n + np.maximum(a, b), w[cross]))

    erows, ecols = rows[exact], cols[exact]
    if erows.size:
        starts = np.flatnonzero(np.r_[True, ecols[1:] != ecols[:-1]])
        lengths = np.diff(np.r_[starts, erows.size])
        for length in np.unique(lengths):  # every pair of a posting, postings of one length at once
            heads = starts[lengths == length]
            members = erows[heads[:, None] + np.arange(length)]
            i, j = np.triu_indices(int(length), 1)
            add(members[:, i].ravel(), members[:, j].ravel(), np.repeat(weight[ecols[heads]], i.size))
    wrows, wcols = _rarest_entries(rows[~exact], cols[~exact], postings, _WINDOW_FEATURES, np)
    for d in range(1, _WINDOW + 1):  # each member of a long posting with the next _WINDOW ones
        if wrows.size <= d:
            break
        same = wcols[:-d] == wcols[d:]
        a, b = wrows[:-d][same], wrows[d:][same]
        add(a, b, np.zeros(a.size))  # proposed here; weighed on every long posting below
    keys = np.concatenate([k for k, _ in found] or [np.zeros(0, np.int64)])
    weights = np.concatenate([w for _, w in found] or [np.zeros(0)])
    del found
    if not keys.size:
        return Candidates((), ())
    order = np.argsort(keys, kind="stable")
    keys, weights = keys[order], weights[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    keys, shared = keys[starts], np.add.reduceat(weights, starts)
    if not exact.all():  # the weight of the long postings each pair shares
        shared = shared + _shared_weight(keys // n, keys % n, rows[~exact], cols[~exact], weight, np)
    shared = np.floor(shared * _QUANTUM + 0.5) / _QUANTUM
    good = shared >= options.min_shared
    keys, shared = keys[good], shared[good]
    if not keys.size:
        return Candidates((), ())

    # Each claim keeps its top_k partners: most shared weight first, ties to the lower pair.
    # Entries of both ends, pairs (x, c) before pairs (c, y), so each claim's entries are in
    # pair order, which one stable sort on claim + (1 - weight / (max + 1)) keeps among ties.
    claim = np.r_[keys % n, keys // n]
    both_keys, both_shared = np.r_[keys, keys], np.r_[shared, shared]
    order = np.argsort(claim + (1.0 - both_shared / (float(both_shared.max()) + 1.0)), kind="stable")
    claim = claim[order]
    position = np.arange(order.size) - np.searchsorted(claim, claim, side="left")
    kept = np.unique(both_keys[order[position < options.top_k]])
    lo, hi = kept // n, kept % n
    shared = shared[np.searchsorted(keys, kept)]
    return Candidates(tuple(zip(lo.tolist(), hi.tolist())), tuple(shared.tolist()))


_SMALL_WORK = 60_000  # cross-source pairs from postings up to which blocking runs in plain Python
# (about 1 µs a pair; importing numpy alone takes 0.06-0.1 s)
_SMALL_CLAIMS = 2_000  # more claims than this always make more pairs: not worth counting
_QUANTUM = 1e6  # shared weights are rounded to 1e-6, so that both ways of summing agree


def _block_small(claims: tuple[Claim, ...], feature_sets: list[frozenset[str]],
                 options: AlignOptions) -> Candidates | None:
    """`block` for a few articles, in plain Python: every posting is paired exhaustively, as the
    array version does when the pairs fit its budget, and with the same sums in the same order,
    so both give the same candidates. Importing numpy alone costs more than this on a handful
    of articles. None when the postings make more than _SMALL_WORK pairs."""
    n = len(claims)
    if n > _SMALL_CLAIMS:
        return None
    postings: dict[str, list[int]] = defaultdict(list)
    for i, feats in enumerate(feature_sets):
        for feat in feats:
            postings[feat].append(i)
    most = max(options.max_postings, 2 * len({c.source_id for c in claims}))
    useful: list[tuple[int, str, list[list[int]]]] = []  # (posting length, feature, its members by source)
    cross = every = 0
    for feat, members in postings.items():
        if not 2 <= len(members) <= most:
            continue
        by_source: dict[str, list[int]] = {}
        for i in sorted(members):
            by_source.setdefault(claims[i].source_id, []).append(i)
        if len(by_source) > 1:
            useful.append((len(members), feat, list(by_source.values())))
            every += len(members) * (len(members) - 1) // 2
            cross += (len(members) ** 2 - sum(len(m) ** 2 for m in by_source.values())) // 2
    if cross > _SMALL_WORK or every > _EXACT_PAIRS:
        return None
    shared: dict[tuple[int, int], float] = defaultdict(float)
    useful.sort(key=lambda item: item[:2])
    for size, feat, sides in useful:  # summed as the array version sums: by posting length, then feature
        weight = math.log1p(n / size) * (1.5 if feat.startswith(("n:", "q:")) else 1.0)
        for x, side in enumerate(sides):  # claims are sorted by source: earlier sides, lower indexes
            for other in sides[x + 1:]:
                for a in side:
                    for b in other:
                        shared[a, b] += weight
    weights = {pair: math.floor(w * _QUANTUM + 0.5) / _QUANTUM for pair, w in shared.items()}
    weights = {pair: w for pair, w in weights.items() if w >= options.min_shared}
    partners: dict[int, list[tuple[float, int, tuple[int, int]]]] = defaultdict(list)
    for (a, b), w in weights.items():
        partners[a].append((-w, a * n + b, (a, b)))
        partners[b].append((-w, a * n + b, (a, b)))
    kept = sorted({pair for mine in partners.values() for _, _, pair in sorted(mine)[:options.top_k]})
    return Candidates(tuple(kept), tuple(weights[pair] for pair in kept))


def _similarity_order(rows, cols, postings, n: int, np):
    """A rank for each claim: claims whose three rarest (long-posting) features are the same
    get neighbouring ranks, so that a window over a posting meets the most similar claims."""
    order = np.lexsort((cols, postings[cols], rows))
    r, c = rows[order], cols[order]
    first = np.searchsorted(r, np.arange(n + 1))
    keys = []
    for k in range(3):
        at = first[:-1] + k
        has = at < first[1:]
        key = np.full(n, -1, np.int64)
        key[has] = c[at[has]]
        keys.append(key)
    by = np.lexsort((np.arange(n), keys[2], keys[1], keys[0]))
    rank = np.empty(n, np.int64)
    rank[by] = np.arange(n)
    return rank


def _rarest_entries(rows, cols, postings, per_claim: int, np):
    """The entries (in their order) of each claim's `per_claim` rarest features."""
    if not rows.size:
        return rows, cols
    by_claim = np.lexsort((cols, postings[cols], rows))
    r = rows[by_claim]
    nth = np.arange(r.size) - np.searchsorted(r, r)
    chosen = np.zeros(r.size, bool)
    chosen[by_claim[nth < per_claim]] = True
    return rows[chosen], cols[chosen]


def _shared_weight(lo, hi, rows, cols, weight, np, chunk: int = 1 << 20):
    """Sum of the weights of the features in (rows, cols) that claims lo[i] and hi[i] both have."""
    nfeat = weight.size
    member = np.sort(rows * nfeat + cols)
    by_row = np.argsort(rows, kind="stable")
    r_sorted, c_sorted = rows[by_row], cols[by_row]
    out = np.zeros(lo.size)
    for at in range(0, lo.size, chunk):  # in chunks: a pair makes one probe per feature
        # The features of hi[i] are looked up among those of lo[i]: pairs come sorted by lo,
        # so the probes come nearly sorted, which keeps the binary searches in the cache.
        b, a = lo[at:at + chunk], hi[at:at + chunk]
        start = np.searchsorted(r_sorted, a, side="left")
        count = np.searchsorted(r_sorted, a, side="right") - start
        pair = np.repeat(np.arange(a.size), count)
        offset = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
        feat = c_sorted[np.repeat(start, count) + offset]
        probe = b[pair] * nfeat + feat
        where = np.minimum(np.searchsorted(member, probe), member.size - 1)
        hit = member[where] == probe
        out[at:at + chunk] = np.bincount(pair[hit], weights=weight[feat[hit]], minlength=a.size)
    return out


EXACT_LINK_PAIRS = 400  # up to this many cross pairs, the average-link guard checks them all
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
    # Each claim against all its candidate partners in one call: a batch per claim rather than
    # cpdist over all pairs, which returns numpy arrays, and importing numpy costs more than the
    # scoring on a handful of articles (on 70,000 pairs the two take about the same time).
    token_set = [0.0] * len(candidates.pairs)
    token_sort = [0.0] * len(candidates.pairs)
    partners: dict[int, list[int]] = defaultdict(list)
    for k, (a, _) in enumerate(candidates.pairs):
        partners[a].append(k)
    for a, ks in partners.items():
        choices = [texts[candidates.pairs[k][1]] for k in ks]
        for scorer, out in ((fuzz.token_set_ratio, token_set), (fuzz.token_sort_ratio, token_sort)):
            for _, value, i in process.extract(texts[a], choices, scorer=scorer, limit=None):
                out[ks[i]] = value
    quoted = [_quoted(c.norm) if '"' in c.norm else frozenset() for c in claims]
    set_weight, sort_weight, shared_weight = options.set_weight, options.sort_weight, options.shared_weight
    scale, bonus = options.shared_scale, options.quote_bonus
    # token_set alone rewards a short sentence contained in a long one; the sorted ratio and the
    # shared rare-feature weight temper that.
    return [set_weight * set_score + sort_weight * sort_score + shared_weight * min(1.0, shared / scale)
            + (bonus if quoted[a] and quoted[a] & quoted[b] else 0.0)
            for (a, b), set_score, sort_score, shared in zip(candidates.pairs, token_set, token_sort, candidates.shared)]


def group(claims: tuple[Claim, ...], pairs: list[tuple[float, int, int]], options: AlignOptions) -> tuple[Group, ...]:
    """Merge accepted pairs, best first, into groups; a group takes few claims of one source."""
    parent = list(range(len(claims)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(claims))}
    counts: dict[int, dict[str, int]] = {i: {claims[i].source_id: 1} for i in range(len(claims))}  # per source
    best: dict[int, float] = {}
    partners: dict[int, set[int]] = defaultdict(set)
    for _, a, b in pairs:
        partners[a].add(b)
        partners[b].add(a)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    refused: set[tuple[int, int, int, int]] = set()  # two groups, at their sizes, that may not merge
    for pair_score, a, b in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        small, large = (ra, rb) if len(members[ra]) <= len(members[rb]) else (rb, ra)
        # Groups only grow, so two roots at the sizes they had when refused are refused again.
        state = (small, large, len(members[small]), len(members[large]))
        if state in refused:
            continue
        if any(counts[large].get(sid, 0) + n > options.max_per_source for sid, n in counts[small].items()):
            refused.add(state)
            continue
        # Average-link guard: chaining A~B~C must not make A and C one fact when they share
        # nothing; at least half of the cross-source pairs of the merged groups must align.
        if len(members[ra]) * len(members[rb]) <= EXACT_LINK_PAIRS:
            # Aligned pairs are all cross-source: count them from the smaller group's partners.
            aligned = sum(find(y) == large for x in members[small] for y in partners[x])
            total = len(members[ra]) * len(members[rb]) - sum(n * counts[large].get(sid, 0)
                                                              for sid, n in counts[small].items())
            if total and aligned * 2 < total:
                refused.add(state)
                continue
        else:
            # Big groups (one event told by hundreds of sources): the pairs through the two
            # claims that are being joined stand for the rest, so a merge costs what their
            # partners number, not what the groups do.
            aligned = sum(find(y) == rb for y in partners[a]) + sum(find(x) == ra for x in partners[b])
            total = (len(members[rb]) - counts[rb].get(claims[a].source_id, 0)
                     + len(members[ra]) - counts[ra].get(claims[b].source_id, 0))
        if total and aligned * 2 < total:
            continue
        root, other = min(ra, rb), max(ra, rb)
        parent[other] = root
        members[large].extend(members[small])
        for sid, n in counts[small].items():
            counts[large][sid] = counts[large].get(sid, 0) + n
        members[root], counts[root] = members[large], counts[large]
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
    scores = score(claims, candidates, contexts, options)
    accepted = [(s, a, b) for s, (a, b) in zip(scores, candidates.pairs) if s >= options.cutoff]
    return group(claims, _drop_chance_links(claims, accepted, options), options)


def tell_one_story(words_a: set[str], names_a: set[str], words_b: set[str], names_b: set[str],
                   names_needed: int, overlap_needed: float) -> bool:
    """Two texts about one story by their vocabulary as a whole: shared names or content words."""
    if len(names_a & names_b) >= names_needed:
        return True
    return len(words_a & words_b) >= overlap_needed * max(1, min(len(words_a), len(words_b)))


def _drop_chance_links(claims: tuple[Claim, ...], accepted: list[tuple[float, int, int]],
                       options: AlignOptions) -> list[tuple[float, int, int]]:
    """Alignments between two sources that align on little else and do not tell one story."""
    links = defaultdict(int)
    for _, a, b in accepted:  # claims are sorted by source, so a's source sorts first
        links[claims[a].source_id, claims[b].source_id] += 1
    few = {pair for pair, count in links.items() if count <= options.lone_links}
    if len({c.source_id for c in claims}) < options.story_sources or not few or len(few) > options.story_checks:
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
    return [link for link in accepted if (claims[link[1]].source_id, claims[link[2]].source_id) not in chance]
