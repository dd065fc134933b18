"""Which sources are compared as wholes: pairs that share an aligned group, within a budget."""
from articles import compare_texts as run
from articles import findings as verdicts
from reconcile.judge.related import Related
from reconcile.models import Group


class _Claim:
    def __init__(self, source_id):
        self.source_id = source_id


def _group(*ids):
    return Group(claims=tuple(_Claim(i) for i in ids), score=70.0)


def test_pairs_are_those_sharing_a_group():
    related = Related((_group("a", "b"), _group("b", "c"), _group("d")), budget=100)
    assert related.sorted_pairs() == [("a", "b"), ("b", "c")]
    assert frozenset(("a", "b")) in related and frozenset(("a", "c")) not in related
    assert related.joins(["a", "b"]) and not related.joins(["a", "b", "c"])


def test_past_the_budget_a_chain_of_groups_relates_sources():
    related = Related((_group("a", "b", "c"), _group("c", "d"), _group("e", "f")), budget=2)
    assert related.pairs is None
    assert frozenset(("a", "d")) in related and frozenset(("a", "e")) not in related
    assert related.joins(["a", "b", "c", "d"]) and not related.joins(["a", "f"])


def test_what_related_sources_count_is_gathered_either_way():
    groups = (_group("a", "b"), _group("c", "d"))
    values = {"a": {"killed"}, "b": {"injured"}, "c": {"arrested"}, "d": set()}
    for budget in (100, 0):
        others = Related(groups, budget=budget).union_of_others(values)
        assert others == {"a": {"injured"}, "b": {"killed"}, "c": set(), "d": {"arrested"}}, budget


def _padding(n):
    crops = ["barley", "lentils", "oats", "rye", "millet", "sorghum", "quinoa", "spelt"]
    return [f"The {crops[i % 8]} harvest cooperative number {i} elected a new treasurer at its annual meeting. "
            f"Members praised the outgoing chair for {i + 3} years of service." for i in range(n)]


def test_a_hedged_toll_is_still_opposed_among_many_unrelated_sources():
    # Only the whole-source comparison sees it: the two sentences share no words.
    storm = ["A storm hit the port town of Velmar on Sunday, flooding the harbour district. "
             "It was unclear whether there were casualties.",
             "A storm hit the port town of Velmar on Sunday, flooding the harbour district. "
             "Rescue teams recovered 4 bodies from the water near the pier."]
    alone = run(*storm)
    padded = run(*storm, *_padding(60))
    assert [f.summary for f in verdicts(alone, "contradiction", "hedge")] == ["death toll: 4 (s2) vs unclear (s1)"]
    assert [f.summary for f in verdicts(padded, "contradiction", "hedge")] == ["death toll: 4 (s2) vs unclear (s1)"]


def test_reading_sources_in_worker_processes_gives_the_same_report():
    import reconcile
    from reconcile.models import Source
    from reconcile.pipeline import Config

    storm = ["A storm hit the port town of Velmar on Sunday. Four people were killed in Velmar.",
             "A storm hit the port town of Velmar on Sunday. The death toll in Velmar rose to 9."]
    texts = storm + _padding(10)
    sources = [Source(id=f"s{n:02d}", name=f"s{n}", path=None, text=t) for n, t in enumerate(texts)]
    alone = reconcile.compare(sources, Config(jobs=1)).to_dict()
    assert reconcile.compare(sources, Config(jobs=2)).to_dict() == alone


def test_the_library_never_spawns_workers_unasked(monkeypatch):
    import reconcile
    import reconcile.pipeline as pipeline
    from reconcile.models import Source
    from reconcile.pipeline import Config

    def refuse(*args, **kwargs):
        raise AssertionError("worker processes started")

    texts = ["A storm hit the port town of Velmar on Sunday. Four people were killed in Velmar."] * 3
    sources = [Source(id=f"s{n}", name=f"s{n}", path=None, text=t) for n, t in enumerate(texts)]
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_CHARS", 10)
    import concurrent.futures

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", refuse)
    monkeypatch.setattr(pipeline, "fork_is_safe", lambda: False)  # macOS, or a thread running
    reconcile.compare(sources, Config())  # reads in this process
    monkeypatch.setattr(pipeline, "fork_is_safe", lambda: True)
    assert pipeline.auto_jobs(tuple(sources)) >= 1
