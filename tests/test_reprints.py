"""Wire copies counted once: reprints.reprint_groups and what compare, check, batch and track do with them."""
from __future__ import annotations

import json
from contextlib import closing
import random
import sqlite3

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from reconcile.cli import main
from reconcile.models import ReprintGroup, Source
from reconcile.pipeline import to_sources
from reconcile.reprints import jaccard, reprint_groups, shingles

from conftest import FIXTURES

COPIES = FIXTURES / "wire-copies"  # agency.md, copied by courier.md and post.md; radio.md and gazette.md their own
WORDS = ("harbour ferry council storm road bridge river market police school flood crew fog island court "
         "minister station train village mayor winter summer power water field hill coast clinic").split()


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def text(seed: int, words: int = 150) -> str:
    rnd = random.Random(seed)
    return " ".join(rnd.choice(WORDS) for _ in range(words)) + "."


def source(sid: str, body: str, date: str | None = None) -> Source:
    return Source(id=sid, name=sid, path=None, text=body, date=date)


def test_the_fixture_has_one_wire_story_printed_three_times():
    assert reprint_groups(to_sources([COPIES])) == (ReprintGroup(source="agency", reprints=("courier", "post")),)


@pytest.mark.parametrize("folder", sorted(p.name for p in FIXTURES.iterdir() if p.is_dir() and p.name != "wire-copies"))
def test_no_other_fixture_has_copies(folder):
    """Different outlets on one event share phrases, not their text (the drafts that differ in
    two figures are the closest pair, and their figures keep them apart)."""
    paths = [FIXTURES / folder] if any(p.is_file() for p in (FIXTURES / folder).iterdir()) else \
        sorted((FIXTURES / folder).iterdir())
    for path in paths:
        assert reprint_groups(to_sources([path])) == ()


def test_a_copy_that_changes_a_figure_is_not_a_reprint():
    body = text(1) + " Twelve people were injured and 86 were on board."
    changed = body.replace("Twelve", "Fourteen")
    assert jaccard(shingles(body), shingles(changed)) > 0.9
    assert reprint_groups((source("a", body), source("b", changed))) == ()
    trimmed = body.replace(" and 86 were on board", "")  # dropping a figure is not changing one
    assert reprint_groups((source("a", body), source("b", trimmed))) == (ReprintGroup("a", ("b",)),)


def test_the_earliest_dated_copy_is_kept():
    body = text(2)
    groups = reprint_groups((source("a", body, "2022-10-17T09:00:00Z"), source("b", body + " Extra words here.",
                                                                                    "2022-10-17T06:00:00Z"),
                             source("c", body)))
    assert groups == (ReprintGroup("b", ("a", "c")),)


def test_the_copy_kept_is_one_that_drops_no_figure_of_the_others():
    body = text(3) + " Twelve people were injured."
    fuller = body + " The ferry carried 86 people."
    groups = reprint_groups((source("a", body, "2022-10-17T06:00:00Z"), source("b", fuller, "2022-10-17T09:00:00Z")))
    assert groups == (ReprintGroup("b", ("a",)),)  # a is earlier, but folding it in would lose the 86


def test_articles_that_share_a_paragraph_are_not_copies():
    shared = text(3, 40)
    assert reprint_groups((source("a", text(4) + " " + shared), source("b", text(5) + " " + shared))) == ()


@settings(max_examples=25, deadline=None)
@given(st.permutations(range(6)), st.integers(0, 10_000))
def test_the_groups_do_not_hang_on_source_order(order, seed):
    base = text(seed)
    bodies = [base, base + " A closing line.", text(seed + 1), base.replace(".", "!"), text(seed + 2), text(seed + 3)]
    sources = [source(f"s{i}", bodies[i]) for i in range(6)]
    assert reprint_groups(tuple(sources[i] for i in order)) == reprint_groups(tuple(sources))


def test_a_thousand_bodies_are_blocked_not_paired():
    """1,000 different texts and two copies: found, without computing a Jaccard per pair."""
    import reconcile.reprints as reprints

    calls = []
    real = reprints.jaccard
    sources = tuple(source(f"b{i:04d}", text(100 + i, 120)) for i in range(1000))
    sources += (source("copy", sources[10].text + " Reporting by the agency."),)
    try:
        reprints.jaccard = lambda a, b: calls.append(1) or real(a, b)
        groups = reprint_groups(sources)
    finally:
        reprints.jaccard = real
    assert groups == (ReprintGroup("b0010", ("copy",)),)
    assert len(calls) < 1000  # all pairs would be 500,500


def test_a_story_printed_by_sixty_outlets_is_one_group():
    """More copies than a shingle's list is paired in full (MAX_POSTINGS): still found, by neighbours."""
    from reconcile.reprints import MAX_POSTINGS

    story = text(7, 300)
    copies = tuple(source(f"c{i:02d}", f"The {WORDS[i % len(WORDS)]} desk reports. " + story) for i in range(60))
    others = tuple(source(f"o{i:03d}", text(500 + i, 200)) for i in range(200))
    assert len(copies) > MAX_POSTINGS
    assert reprint_groups(others + copies) == (ReprintGroup("c00", tuple(c.id for c in copies[1:])),)


# --- through the commands ---------------------------------------------------------------------------

def test_compare_counts_the_copies_once_and_lists_them():
    report = json.loads(invoke("compare", COPIES, "-f", "json").stdout)
    assert report["reprints"] == [{"source": "agency", "reprints": ["courier", "post"]}]
    assert [s["id"] for s in report["sources"]] == ["agency", "gazette", "radio"]
    toll = next(f for f in report["findings"] if f["summary"].startswith("injuries: 12"))
    assert toll["verdict"] == "agreement" and sorted({v["source"] for v in toll["values"]}) == ["agency", "radio"]
    assert {c["source"] for f in report["findings"] for c in f["claims"]} <= {"agency", "gazette", "radio"}


def test_keep_reprints_compares_every_copy():
    report = json.loads(invoke("compare", COPIES, "-f", "json", "--keep-reprints").stdout)
    assert "reprints" not in report and len(report["sources"]) == 5
    toll = next(f for f in report["findings"] if f["summary"].startswith("injuries: 12"))
    assert sorted({v["source"] for v in toll["values"]}) == ["agency", "courier", "post", "radio"]


def test_the_table_names_the_reprints():
    result = invoke("compare", COPIES, "--width", "120")
    assert "agency reprinted by courier, post: counted once" in result.stdout


def test_copies_alone_are_compared_as_given():
    alone = json.loads(invoke("compare", COPIES / "agency.md", COPIES / "post.md", "-f", "json").stdout)
    assert "reprints" not in alone and len(alone["sources"]) == 2
    assert alone == json.loads(invoke("compare", COPIES / "agency.md", COPIES / "post.md", "-f", "json",
                                      "--keep-reprints").stdout)


def test_a_few_words_are_not_an_article_to_copy():
    line = "At least 4 people were killed in Kyiv on Monday, the mayor said."
    assert reprint_groups((source("a", line), source("b", line), source("c", text(9)))) == ()


def test_check_counts_the_copies_once(tmp_path):
    draft = tmp_path / "draft.md"
    draft.write_text("Twelve people were injured when the ferry Orla Brenn ran aground off Tallis Point.\n",
                     encoding="utf-8")
    folded = json.loads(invoke("check", draft, "--against", COPIES, "-f", "json").stdout)
    kept = json.loads(invoke("check", draft, "--against", COPIES, "-f", "json", "--keep-reprints").stdout)
    assert folded["reprints"] == [{"source": "agency", "reprints": ["courier", "post"]}]
    assert len(folded["sources"]) == 4 and len(kept["sources"]) == 6 and "reprints" not in kept


def test_batch_counts_the_copies_once_unless_asked():
    lines = [json.loads(line) for line in invoke("batch", COPIES).stdout.splitlines()]
    assert lines[0]["report"]["reprints"][0]["source"] == "agency"
    lines = [json.loads(line) for line in invoke("batch", COPIES, "--keep-reprints").stdout.splitlines()]
    assert "reprints" not in lines[0]["report"]


def test_track_records_every_source_read_and_what_it_copies(tmp_path):
    path = tmp_path / "l.sqlite3"
    assert invoke("track", "ferry", COPIES, "--ledger", path, "-q").exit_code == 0
    with closing(sqlite3.connect(path)) as db:
        rows = db.execute("SELECT id, reprint_of FROM sources ORDER BY id").fetchall()
    assert rows == [("agency", None), ("courier", "agency"), ("gazette", None), ("post", "agency"), ("radio", None)]
