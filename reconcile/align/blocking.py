"""Blocking: the candidate pairs of claims worth scoring, from an inverted index over rare
features, in linear time however many sources tell one event."""
from __future__ import annotations

import itertools
import math
from collections import defaultdict
from dataclasses import dataclass

from ..models import Claim
from .options import AlignOptions


@dataclass(frozen=True)
class Candidates:
    """Pairs (i < j) of claim indexes proposed by blocking, with their shared idf weight."""

    pairs: tuple[tuple[int, int], ...]
    shared: tuple[float, ...]



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
    cols = np.fromiter(map(vocab.__getitem__, itertools.chain.from_iterable(feature_sets)), np.int64, int(sizes.sum()))
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

    found: list[tuple] = []  # (pair keys lo * n + hi, the feature each shares) of cross-source pairs
    no_feature = len(vocab)  # what a window pair shares: it is weighed on the long postings below

    def add(a, b, f):
        cross = source[a] != source[b]
        a, b = a[cross], b[cross]
        found.append((np.minimum(a, b) * n + np.maximum(a, b), f[cross]))

    erows, ecols = rows[exact], cols[exact]
    if erows.size:
        starts = np.flatnonzero(np.r_[True, ecols[1:] != ecols[:-1]])
        lengths = np.diff(np.r_[starts, erows.size])
        for length in np.unique(lengths):  # every pair of a posting, postings of one length at once
            heads = starts[lengths == length]
            members = erows[heads[:, None] + np.arange(length)]
            i, j = np.triu_indices(int(length), 1)
            add(members[:, i].ravel(), members[:, j].ravel(), np.repeat(ecols[heads], i.size))
    wrows, wcols = _rarest_entries(rows[~exact], cols[~exact], postings, _WINDOW_FEATURES, np)
    for d in range(1, _WINDOW + 1):  # each member of a long posting with the next _WINDOW ones
        if wrows.size <= d:
            break
        same = wcols[:-d] == wcols[d:]
        a, b = wrows[:-d][same], wrows[d:][same]
        add(a, b, np.full(a.size, no_feature))
    keys = np.concatenate([k for k, _ in found] or [np.zeros(0, np.int64)])
    shares = np.concatenate([f for _, f in found] or [np.zeros(0, np.int64)])
    found.clear()  # the pieces are in keys and shares now
    if not keys.size:
        return Candidates((), ())
    # Each pair's weight is summed over its features in the order of their ids (sorted names).
    rows_of_pairs = [keys, shares]
    del keys, shares  # sort_rows lets each column go once packed: big runs hold less memory
    keys, shares = sort_rows(rows_of_pairs, (n * n, no_feature + 1), np)
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    keys, shared = keys[starts], np.add.reduceat(np.r_[weight, 0.0][shares], starts)
    if not exact.all():  # the weight of the long postings each pair shares
        shared = shared + _shared_weight(keys // n, keys % n, rows[~exact], cols[~exact], weight, np,
                                         threads=options.threads)
    shared = np.floor(shared * _QUANTUM + 0.5) / _QUANTUM
    good = shared >= options.min_shared
    keys, shared = keys[good], shared[good]
    if not keys.size:
        return Candidates((), ())

    # Each claim keeps its top_k partners: most shared weight first, ties to the lower partner
    # (of a claim's pairs, the lower pair). Rows (claim, rank of weight downwards, partner) of
    # both ends of every pair, sorted.
    quanta = np.rint(shared * _QUANTUM).astype(np.int64)  # weights are whole quanta: no ties lost or made
    top = int(quanta.max())
    if n * n * (top + 1) > _PACKED_LIMIT:  # too many quanta to pack with two claims: their ranks
        levels = np.sort(quanta)
        levels = levels[np.r_[True, levels[1:] != levels[:-1]]]
        quanta, top = np.searchsorted(levels, quanta), levels.size - 1
    descending = top - quanta
    del quanta
    lo, hi = keys // n, keys % n
    ends = [np.concatenate((lo, hi)), np.concatenate((descending, descending)), np.concatenate((hi, lo))]
    del lo, hi, descending
    claim, _, partner = sort_rows(ends, (n, top + 1, n), np)
    del _
    first = _rank_within_runs(claim, np) < options.top_k
    chosen = np.sort(np.minimum(claim[first], partner[first]) * n + np.maximum(claim[first], partner[first]))
    chosen = chosen[np.r_[True, chosen[1:] != chosen[:-1]]]  # a pair both its claims keep, once
    shared = shared[np.searchsorted(keys, chosen)]
    return Candidates(tuple(zip((chosen // n).tolist(), (chosen % n).tolist())), tuple(shared.tolist()))


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
        if len(members) > options.max_postings:
            return None  # the array version windows such a posting rather than pairing it all
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
    useful.sort(key=lambda item: item[1])
    for size, feat, sides in useful:  # summed as the array version sums: in the order of the features
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


def _rank_within_runs(values, np):
    """For sorted values, each one's place among the equal ones before it (0, 1, 2, 0, 1, ...)."""
    if not values.size:
        return np.zeros(0, np.int64)
    starts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]])
    return np.arange(values.size) - np.repeat(starts, np.diff(np.r_[starts, values.size]))


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
    nth = _rank_within_runs(rows[by_claim], np)
    chosen = np.zeros(rows.size, bool)
    chosen[by_claim[nth < per_claim]] = True
    return rows[chosen], cols[chosen]


def _shared_weight(lo, hi, rows, cols, weight, np, chunk: int = 1 << 18, max_bitmap_bytes: int = 64 << 20,
                   threads: int = 1):
    """Sum of the weights of the features in (rows, cols) that claims lo[i] and hi[i] both have.

    The features of hi[i] are enumerated and each is looked up among those of lo[i]: in a bit
    matrix (claim x long feature) when it fits in `max_bitmap_bytes` (one gather a probe; one event
    told by many sources has a few hundred long features), else by binary search."""
    n = int(max(lo.max(initial=0), hi.max(initial=0), rows.max(initial=0))) + 1
    by_row = np.argsort(rows, kind="stable")  # each claim's features in the order they came
    r_sorted, c_sorted = rows[by_row], cols[by_row]
    first = np.searchsorted(r_sorted, np.arange(n + 1))
    features, local = np.unique(c_sorted, return_inverse=True)
    width = features.size // 8 + 1
    bitmap = None
    # Probes are the heavy part, and memory-bound: 32-bit indexes where they fit halve the traffic.
    small = n * width < 1 << 31 and r_sorted.size < 1 << 31
    index = np.int32 if small else np.int64
    if n * width <= max_bitmap_bytes:
        byte, bit = (local >> 3).astype(index), np.left_shift(1, local & 7).astype(np.uint8)
        bitmap = np.zeros(n * width, np.uint8)
        np.bitwise_or.at(bitmap, r_sorted * width + byte, bit)
    else:
        member = np.sort(rows * weight.size + cols)
    entry_weight = weight[c_sorted]
    first = first.astype(index)
    out = np.zeros(lo.size)

    def weigh(at: int) -> None:  # a chunk of pairs: each pair makes one probe per feature
        b, a = lo[at:at + chunk], hi[at:at + chunk]
        start, count = first[a], first[a + 1] - first[a]
        ends = np.cumsum(count, dtype=index)
        if not ends.size or not ends[-1]:
            return
        # Entry k of the chunk is feature k - (entries before its pair) of its pair's claim hi.
        entry = np.arange(ends[-1], dtype=index) + np.repeat(start - (ends - count), count)
        if bitmap is not None:
            hit = (bitmap[np.repeat((b * width).astype(index), count) + byte[entry]] & bit[entry]) != 0
        else:  # pairs come sorted by lo, so the probes come nearly sorted and stay in the cache
            probe = np.repeat(b * weight.size, count) + c_sorted[entry]
            hit = member[np.minimum(np.searchsorted(member, probe), member.size - 1)] == probe
        pair = np.repeat(np.arange(a.size, dtype=index), count)
        out[at:at + chunk] = np.bincount(pair, weights=entry_weight[entry] * hit, minlength=a.size)

    in_threads(weigh, range(0, lo.size, chunk), threads)
    return out


_PACKED_LIMIT = 1 << 63  # rows whose limits multiply to at most this fit in a 64-bit integer


def sort_rows(columns: list, limits: tuple[int, ...], np) -> list:
    """The rows (columns[0][i], columns[1][i], ...) in lexicographic order, as columns; column k
    holds integers from 0 below limits[k]. Packed into one integer when the limits allow: numpy
    sorts plain integers (SIMD) about ten times faster than it argsorts them stably. The list
    `columns` is emptied, and a column it held may be reused in place: pass columns nothing
    else needs."""
    if math.prod(limits) <= _PACKED_LIMIT:
        packed = np.asarray(columns.pop(0), dtype=np.int64)
        for limit in limits[1:]:
            packed *= limit
            packed += columns.pop(0)
        packed.sort()
        out = []
        for limit in reversed(limits[1:]):
            out.append(packed % limit)
            packed //= limit
        return [packed] + out[::-1]
    order = np.lexsort(columns[::-1])
    out = [column[order] for column in columns]
    columns.clear()
    return out


def in_threads(fn, items, threads: int) -> list:
    """`fn` over `items`, on up to `threads` threads (AlignOptions.threads, which the pipeline
    sets to one per CPU): numpy lets go of the interpreter lock in its loops, so array work runs
    on every core."""
    items = list(items)
    workers = min(threads, len(items))
    if workers < 2:
        return [fn(item) for item in items]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(workers) as pool:  # shut down on leaving: a later fork finds one thread
        return list(pool.map(fn, items))
