"""Candidate blocking at scale must not change what small runs find.

`_all_pairs_block` is the blocking that align.py had before it was rewritten for speed: every
pair of every posting up to `max_postings`, in plain Python. On the fixtures and the real seed
articles the new `block()` must return exactly its candidates, so that `align()` finds exactly
the same groups whatever score() and group() do with them.
"""
from __future__ import annotations

import math
import random
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reconcile.align as align_module
import reconcile.align.blocking as blocking_module
from reconcile.align import AlignOptions, Candidates, _contexts, align, block, features
from reconcile.pipeline import claims_of, to_sources

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"
SEEDS = REPO.parent / "shared" / "seeds"


def _all_pairs_block(claims, feature_sets, options: AlignOptions) -> Candidates:
    """The reference: the inverted-index blocking as it was, quadratic in a posting's length."""
    postings: dict[str, list[int]] = defaultdict(list)
    for index, feats in enumerate(feature_sets):
        for feat in sorted(feats):
            postings[feat].append(index)
    total = len(claims) or 1
    shared: dict[tuple[int, int], float] = defaultdict(float)
    for feat, members in postings.items():
        if len(members) < 2 or len(members) > options.max_postings:
            continue
        weight = math.log(1 + total / len(members)) * (1.5 if feat.startswith(("n:", "q:")) else 1.0)
        for a_pos, a in enumerate(members):
            for b in members[a_pos + 1:]:
                if claims[b].source_id != claims[a].source_id:
                    shared[(a, b)] += weight
    best: dict[int, list[tuple[float, tuple[int, int]]]] = defaultdict(list)
    for pair, weight in shared.items():
        if weight >= options.min_shared:
            best[pair[0]].append((weight, pair))
            best[pair[1]].append((weight, pair))
    kept: set[tuple[int, int]] = set()
    for ranked in best.values():
        ranked.sort(key=lambda item: (-round(item[0], 9), item[1]))
        kept.update(pair for _, pair in ranked[: options.top_k])
    pairs = tuple(sorted(kept))
    return Candidates(pairs, tuple(shared[p] for p in pairs))


def _prepared(paths):
    sources = to_sources([str(p) for p in paths])
    claims = tuple(sorted((c for s in sources for c in claims_of(s)), key=lambda c: (c.source_id, c.sentence.index)))
    sets = [features(c, ctx) for c, ctx in zip(claims, _contexts(claims))]
    return claims, sets


CASES = {
    "kyiv-drones": [FIXTURES / "kyiv-drones"],
    "coastal-storm": [FIXTURES / "coastal-storm"],
    "refinery-fire": [FIXTURES / "refinery-fire"],
    "kyiv-and-drafts": [FIXTURES / "kyiv-drones", FIXTURES / "drafts"],
    "all-fixtures": [FIXTURES / "kyiv-drones", FIXTURES / "coastal-storm", FIXTURES / "refinery-fire"],
}
if SEEDS.is_dir():
    CASES["seeds"] = [SEEDS]


def _same(new: Candidates, old: Candidates) -> None:
    assert new.pairs == old.pairs
    assert new.shared == pytest.approx(old.shared, rel=0, abs=1.01e-6)  # block rounds weights to 1e-6


@pytest.mark.parametrize("case", sorted(CASES))
def test_plain_python_and_array_blocking_give_the_same_candidates(case, monkeypatch):
    claims, sets = _prepared(CASES[case])
    options = AlignOptions()
    assert blocking_module._block_small(claims, sets, options) is not None, "a handful of articles: plain Python"
    small = block(claims, sets, options)
    monkeypatch.setattr(blocking_module, "_SMALL_WORK", -1)
    assert blocking_module._block_small(claims, sets, options) is None
    arrays = block(claims, sets, options)
    assert small.pairs == arrays.pairs and small.shared == arrays.shared


@pytest.mark.parametrize("case", sorted(CASES))
def test_block_proposes_what_all_pairs_blocking_proposed(case):
    claims, sets = _prepared(CASES[case])
    options = AlignOptions()
    _same(block(claims, sets, options), _all_pairs_block(claims, sets, options))


def _group_ids(groups):
    return sorted(tuple(c.id for c in g.claims) for g in groups)


def test_kyiv_groups_are_the_ones_all_pairs_blocking_found(monkeypatch):
    """Pins the groups of fixtures/kyiv-drones: the same with the old and the new blocking."""
    sources = to_sources([str(FIXTURES / "kyiv-drones")])
    claims = tuple(c for s in sources for c in claims_of(s))
    now = _group_ids(align(claims))
    monkeypatch.setattr(align_module, "block", _all_pairs_block)
    before = _group_ids(align(claims))
    assert now == before
    by_text = {}
    for group in align(claims):
        for claim in group.claims:
            by_text[claim.sentence.text] = {c.source_id for c in group.claims}
    # The agreements fixtures/kyiv-drones.expected.yaml names are found as groups.
    geran = [sources for text, sources in by_text.items() if "Geran-2" in text]
    assert any({"cable", "broadsheet"} <= s for s in geran)
    training = [sources for text, sources in by_text.items() if "15,000 Ukrainian soldiers" in text]
    assert any({"wire", "broadsheet"} <= s for s in training)


def _one_event(sources: int, seed: int = 7):
    """Many sources telling the same few facts with other names and figures: every feature is
    in a long posting, the case that makes exhaustive pairing quadratic."""
    rng = random.Random(seed)
    facts = [
        "Rescuers pulled {n} people from the rubble of the Velmar apartment block, said {who}.",
        "The storm cut power to {n} homes across the northern coast, {who} told reporters.",
        "Police arrested {n} men over the bridge explosion near Calder, according to {who}.",
        "The ministry approved {n} million euros for the reconstruction of the harbour, {who} said.",
        "Firefighters fought the blaze at the Norhaven refinery for {n} hours, {who} said.",
    ]
    people = ["Anna Weber", "Tomas Novak", "Maria Rossi", "James Hale", "Lena Fischer", "Karl Berg"]
    texts = []
    for _ in range(sources):
        chosen = rng.sample(facts, 4)
        texts.append(" ".join(f.format(n=rng.randint(2, 90), who=rng.choice(people)) for f in chosen) + "\n")
    return to_sources(texts)


@pytest.mark.parametrize("bitmap_bytes", [64 << 20, 0], ids=["bit-matrix", "binary-search"])
def test_long_postings_are_windowed_with_linear_work_and_exact_weights(monkeypatch, bitmap_bytes):
    """Both ways of looking up the long features two claims share give the exact weights."""
    shared_weight = blocking_module._shared_weight
    monkeypatch.setattr(blocking_module, "_shared_weight",
                        lambda *args, **kwargs: shared_weight(*args, **kwargs, max_bitmap_bytes=bitmap_bytes))
    sources = _one_event(60)
    claims = tuple(sorted((c for s in sources for c in claims_of(s)), key=lambda c: (c.source_id, c.sentence.index)))
    sets = [features(c, ctx) for c, ctx in zip(claims, _contexts(claims))]
    options = AlignOptions(max_postings=10, top_k=4)  # every fact's words are in ~48 claims
    monkeypatch.setattr(blocking_module, "_EXACT_PAIRS", 50)
    monkeypatch.setattr(blocking_module, "_EXACT_PAIRS_PER_CLAIM", 0)
    found = block(claims, sets, options)
    assert found.pairs, "long postings still propose candidates"
    assert len(found.pairs) <= options.top_k * len(claims)
    assert all(a < b and claims[a].source_id != claims[b].source_id for a, b in found.pairs)
    # Nearly every claim has a partner that tells the same fact (the same opening words); the
    # windows are an approximation (exhaustive pairing finds one for all 240 claims here).
    partners = defaultdict(set)
    for a, b in found.pairs:
        if claims[a].sentence.text.split()[:2] == claims[b].sentence.text.split()[:2]:
            partners[a].add(b)
            partners[b].add(a)
    assert len(partners) >= 0.95 * len(claims)
    # Shared weights are exact: the sum over the useful features the two claims both have.
    counts = defaultdict(int)
    for feats in sets:
        for feat in feats:
            counts[feat] += 1
    limit = max(options.max_postings, 2 * len(sources))
    for (a, b), weight in zip(found.pairs, found.shared):
        expected = sum(math.log(1 + len(claims) / counts[f]) * (1.5 if f.startswith(("n:", "q:")) else 1.0)
                       for f in sets[a] & sets[b] if 2 <= counts[f] <= limit)
        assert weight == pytest.approx(expected)


def test_block_does_not_depend_on_python_hash_order():
    claims, sets = _prepared(CASES["kyiv-drones"])
    options = AlignOptions()
    shuffled = [frozenset(sorted(s, reverse=True)) for s in sets]
    assert block(claims, sets, options) == block(claims, shuffled, options)


@pytest.mark.parametrize("seed", range(6))
def test_plain_python_and_array_blocking_agree_on_random_small_events(seed, monkeypatch):
    sources = _one_event(3 + seed, seed=seed)
    claims = tuple(sorted((c for s in sources for c in claims_of(s)), key=lambda c: (c.source_id, c.sentence.index)))
    sets = [features(c, ctx) for c, ctx in zip(claims, _contexts(claims))]
    options = AlignOptions(top_k=2 + seed % 3)
    small = block(claims, sets, options)
    monkeypatch.setattr(blocking_module, "_SMALL_WORK", -1)
    arrays = block(claims, sets, options)
    assert small.pairs and small.pairs == arrays.pairs and small.shared == arrays.shared


def test_plain_python_blocking_declines_a_posting_the_array_version_would_window():
    sources = _one_event(12, seed=3)
    claims = tuple(sorted((c for s in sources for c in claims_of(s)), key=lambda c: (c.source_id, c.sentence.index)))
    sets = [features(c, ctx) for c, ctx in zip(claims, _contexts(claims))]
    # max_postings below the longest posting, which 2 x sources still lets count as a feature
    options = AlignOptions(max_postings=4)
    assert blocking_module._block_small(claims, sets, options) is None
    assert blocking_module._block_small(claims, sets, AlignOptions()) is not None


def test_batch_scoring_on_every_cpu_gives_the_scores_of_per_claim_batches(monkeypatch):
    claims, sets = _prepared(CASES["all-fixtures"])
    contexts = _contexts(claims)
    candidates = block(claims, sets, AlignOptions())
    per_claim = align_module.score(claims, candidates, contexts)
    monkeypatch.setattr(align_module, "BATCH_PAIRS", 1)
    assert align_module.score(claims, candidates, contexts) == per_claim
    assert len(per_claim) == len(candidates.pairs) > 100


def test_texts_sorted_once_score_as_rapidfuzz_sorts_them(monkeypatch):
    """The sorted ratio of presorted texts is token_sort_ratio, in both scoring paths."""
    import re

    claims, sets = _prepared(CASES["all-fixtures"])
    contexts = _contexts(claims)
    candidates = block(claims, sets, AlignOptions())
    presorted = [align_module.score(claims, candidates, contexts)]
    monkeypatch.setattr(align_module, "BATCH_PAIRS", 1)
    presorted.append(align_module.score(claims, candidates, contexts))
    monkeypatch.setattr(align_module, "_OTHER_SPACE", re.compile(""))  # as if a text held a tab: rapidfuzz sorts
    by_rapidfuzz = align_module.score(claims, candidates, contexts)
    monkeypatch.setattr(align_module, "BATCH_PAIRS", 10 ** 9)
    assert presorted == [by_rapidfuzz, align_module.score(claims, candidates, contexts)]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 2), st.integers(0, 40)), max_size=300))
def test_sort_rows_sorts_rows_packed_or_not(rows):
    import numpy as np

    from reconcile.align import blocking

    def columns():
        return [np.array([row[k] for row in rows], dtype=np.int64) for k in range(3)]

    expected = [list(column) for column in zip(*sorted(rows))] if rows else [[], [], []]
    given = columns()
    assert [c.tolist() for c in blocking.sort_rows(given, (7, 3, 41), np)] == expected
    assert given == []  # let go of, column by column
    saved = blocking._PACKED_LIMIT
    blocking._PACKED_LIMIT = 0  # too big to pack: by lexsort
    try:
        given = columns()
        assert [c.tolist() for c in blocking.sort_rows(given, (7, 3, 41), np)] == expected
        assert given == []
    finally:
        blocking._PACKED_LIMIT = saved


@pytest.mark.parametrize("claims_squared_times", [0, 400], ids=["nothing-packed", "weights-by-rank"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_block_gives_the_same_candidates_when_rows_are_too_big_to_pack(case, claims_squared_times, monkeypatch):
    claims, sets = _prepared(CASES[case])
    monkeypatch.setattr(blocking_module, "_SMALL_WORK", -1)
    packed = block(claims, sets, AlignOptions())
    # 400: too few for the millionths of a weight, enough for the ranks of the weights a run has
    monkeypatch.setattr(blocking_module, "_PACKED_LIMIT", len(claims) ** 2 * claims_squared_times)
    assert block(claims, sets, AlignOptions()) == packed and packed.pairs


def test_rank_within_runs_counts_from_each_run_start():
    import numpy as np

    from reconcile.align.blocking import _rank_within_runs

    assert _rank_within_runs(np.array([3, 3, 3, 5, 7, 7]), np).tolist() == [0, 1, 2, 0, 0, 1]
    assert _rank_within_runs(np.array([], dtype=np.int64), np).tolist() == []


def test_in_threads_keeps_the_order_of_the_items_and_leaves_no_thread_behind():
    import threading

    from reconcile.align.blocking import in_threads

    before = threading.active_count()
    for threads in (1, 2, 4):
        assert in_threads(lambda x: x * x, range(50), threads) == [x * x for x in range(50)]
        assert threading.active_count() == before
