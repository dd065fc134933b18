"""ledger.diff and ledger.records: pure functions of two runs' records."""
from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from reconcile.ledger import FindingRecord, Run, SourceRecord, diff, fact_key, finding_records
from reconcile.models import Finding

from reconcile.pipeline import compare

from conftest import FIXTURES, sample_report

STORY = FIXTURES / "tracked-story"


def record(fact: str, verdict: str = "agreement", kind=None, values=(), topic=None, sources=("a", "b")):
    return FindingRecord(fact_id=fact, verdict=verdict, kind=kind, topic=topic or fact, summary=f"{topic or fact}: ...",
                         confidence=0.8, sources=tuple(sources), values=tuple(values))


def source(sid: str, text: str = "x") -> SourceRecord:
    return SourceRecord(id=sid, name=sid.title(), text_hash=f"hash-{text}", fetched="2022-10-17T06:00:00Z")


def run(number: int, findings=(), sources=()) -> Run:
    return Run(story="s", at=f"2022-10-17T0{number}:00:00Z", version="0", settings="{}",
               sources=tuple(sources), findings=tuple(findings), number=number)


def test_nothing_changed_between_a_run_and_itself():
    r = run(1, [record("f-1", values=[("a", "4")])], [source("a")])
    assert diff(r, dataclasses.replace(r, number=2)).empty


def test_first_run_is_all_new():
    r = run(1, [record("f-1")], [source("a")])
    changes = diff(None, r)
    assert [f.fact_id for f in changes.new] == ["f-1"] and [s.id for s in changes.sources_new] == ["a"]
    assert changes.before is None and not changes.gone


def test_new_gone_moved_and_figures():
    before = run(1, [record("toll", "contradiction", "numeric", [("a", "4"), ("b", "6")]), record("old")],
                 [source("a"), source("b"), source("c")])
    after = run(2, [record("toll", "agreement", None, [("a", "6"), ("b", "6")]), record("fresh", "contradiction", "denial")],
                [source("a", "edited"), source("b"), source("d")])
    changes = diff(before, after)
    assert [f.fact_id for f in changes.new] == ["fresh"]
    assert [f.fact_id for f in changes.gone] == ["old"]
    assert [(m.before, m.after) for m in changes.moved] == [("contradiction (numeric)", "agreement")]
    assert [(f.source, f.before, f.after) for f in changes.figures] == [("a", "4", "6")]
    assert [s.id for s in changes.sources_new] == ["d"]
    assert [s.id for s in changes.sources_gone] == ["c"]
    assert [s.id for s in changes.sources_edited] == ["a"]


def test_a_source_that_joins_a_fact_is_not_a_changed_figure():
    before = run(1, [record("toll", values=[("a", "4")])])
    after = run(2, [record("toll", values=[("a", "4"), ("b", "at least 4")])])
    assert not diff(before, after).figures


def test_fail_on_watches_only_what_it_names():
    before = run(1, [record("toll", "agreement")])
    after = run(2, [record("toll", "contradiction", "numeric"), record("new", "update")])
    changes = diff(before, after)
    assert changes.watched(("contradiction",)) and changes.watched(("update",)) and changes.watched(("any",))
    assert not changes.watched(("agreement",)) and not changes.watched(("figure",))
    assert not changes.watched(("source",)) and not changes.watched(("never",)) and not changes.watched(())
    assert not diff(after, dataclasses.replace(after, number=3)).watched(("any",))


def test_a_verdict_that_moves_away_from_contradiction_is_not_a_new_contradiction():
    changes = diff(run(1, [record("toll", "contradiction", "numeric")]), run(2, [record("toll", "agreement")]))
    assert not changes.watched(("contradiction",)) and changes.watched(("agreement",)) and changes.watched(("finding",))


def test_the_update_beside_a_contradiction_reports_no_second_figure():
    revised = FindingRecord("rev", "update", "numeric", "toll", "toll revised: 4 (a) → 6 (b)", 0.75, ("a", "b"),
                            (("a", "4"),))
    later = dataclasses.replace(revised, values=(("a", "5"),))
    assert not diff(run(1, [revised]), run(2, [later])).figures


# --- stable ids ----------------------------------------------------------------------------------

def test_fact_ids_do_not_hang_on_claim_ids():
    report = compare([str(STORY / "run2")])
    fact = next(f for f in report.findings if f.rules and f.rules[0].startswith("judge.fact."))
    renamed = dataclasses.replace(fact, id="x-00000000", claims=tuple(reversed(fact.claims)))
    assert fact_key(fact) == fact_key(renamed) == f"fact|{fact.topic}"


def test_a_fact_keeps_its_id_as_sources_come_and_go():
    """The death toll is one fact in all three runs of the fixture, told by 2, 3 and 3 sources
    (one of them edited): one id throughout, whatever the order the sources are given in."""
    ids = []
    for name, order in (("run1", 1), ("run2", -1), ("run3", 1)):
        files = sorted(str(p) for p in (STORY / name).iterdir())[::order]
        records = finding_records(compare(files))
        ids.append({r.fact_id for r in records if r.topic == "death toll"})
    assert len(ids[0]) == 1 and ids[0] == ids[1] == ids[2]


@settings(max_examples=6, deadline=None)
@given(st.permutations(sorted(str(p) for p in (STORY / "run2").iterdir())))
def test_records_do_not_hang_on_the_order_sources_are_given_in(files):
    assert finding_records(compare(files)) == finding_records(compare([str(STORY / "run2")]))


def test_a_revision_is_its_own_entry():
    base = Finding(id="u-1", verdict="update", kind="numeric", topic="death toll", summary="death toll revised: 4 → 6",
                   confidence=0.75, claims=(), rules=("judge.fact.update",))
    plain = dataclasses.replace(base, summary="death toll: 4 → 6")
    assert fact_key(base) != fact_key(plain)


@settings(max_examples=30, deadline=None)
@given(st.permutations(range(5)))
def test_records_do_not_hang_on_finding_order(order):
    report = sample_report()
    findings = tuple(report.findings[i] for i in order if i < len(report.findings))
    shuffled = dataclasses.replace(report, findings=findings + report.findings[len(findings):])
    assert {r.fact_id for r in finding_records(shuffled)} == {r.fact_id for r in finding_records(report)}
    assert finding_records(shuffled) == finding_records(report)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abcdef"), st.sampled_from(["agreement", "contradiction", "unique"]),
                          st.sampled_from(["4", "5", "at least 4"])), max_size=8), st.randoms())
def test_diff_of_a_run_with_itself_is_empty_in_any_order(rows, rnd):
    findings = [record(f"f-{fact}", verdict, values=[("a", value)]) for fact, verdict, value in dict(
        ((r[0], r) for r in rows)).values()]
    first = run(1, findings, [source("a"), source("b")])
    shuffled = list(findings)
    rnd.shuffle(shuffled)
    assert diff(first, run(2, shuffled, [source("b"), source("a")])).empty
