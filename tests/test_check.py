"""The check core: from drafts and sources to issues, read from the judge's verdicts.

Two tiers: hand-built claims and relations for the rules of relate.py (no judge involved), and
end-to-end runs on invented articles, including the newsroom drafts of fixtures/drafts/.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from reconcile.check import CheckOptions, check, fails, load_inputs
from reconcile.check import fingerprint_of, locate
from reconcile.check.model import severity
from reconcile.check.relate import Pairing, Relation, backs_figures, carriers, conclude
from reconcile.errors import ConfigError, InputError
from reconcile.models import Claim, Finding, Quantity, Sentence, Source

from conftest import FIXTURES

KYIV = FIXTURES / "kyiv-drones"
WRONG = FIXTURES / "drafts" / "kyiv-drones-wrong.md"
FAITHFUL = FIXTURES / "drafts" / "kyiv-drones-faithful.md"


# --- hand-built claims ------------------------------------------------------------------------

def claim(source: str, index: int, text: str, *figures: tuple, polarity="affirmed", modality="asserted",
          speaker=None, words=(), names=(), line=None) -> Claim:
    sentence = Sentence(source_id=source, index=index, start=index * 100, end=index * 100 + len(text),
                        line=line or index + 1, column=1, text=text)
    quantities = []
    for figure_text, value, low, high, bound, category in figures:
        at = text.index(figure_text)
        quantities.append(Quantity(text=figure_text, value=value, low=low, high=high, bound=bound, unit=None,
                                   category=category, counted="people", start=sentence.start + at,
                                   end=sentence.start + at + len(figure_text)))
    return Claim(id=f"{source}:{index}", source_id=source, sentence=sentence, norm=text.lower(),
                 words=tuple(words), names=tuple(names), quantities=tuple(quantities), polarity=polarity,
                 modality=modality, speaker=speaker)


def finding(verdict: str, kind, *claims: Claim, topic="deaths", score=80.0) -> Finding:
    return Finding(id=f"{verdict[0]}-x", verdict=verdict, kind=kind, topic=topic, summary="", confidence=0.8,
                   claims=tuple(claims), score=score, rules=("judge." + verdict,))


def relation(draft_claim: Claim, source_claim: Claim, verdict: str, kind=None) -> Relation:
    stance = "contradicts" if verdict in ("contradiction", "update") else "supports"
    return Relation(draft_claim, source_claim.source_id, stance, finding(verdict, kind, draft_claim, source_claim),
                    (source_claim,))


def sources(*ids: str) -> dict[str, Source]:
    return {sid: Source(id=sid, name=sid, path=f"{sid}.txt", text="x") for sid in ids}


# (text, value, low, high, bound, category), as Quantity has them
ELEVEN = ("11", 11.0, 11.0, 11.0, "exact", "killed")
FIVE = ("5", 5.0, 5.0, 5.0, "exact", "killed")
AT_LEAST_4 = ("at least 4", 4.0, 4.0, None, "at_least", "killed")


# --- which source backs a figure -------------------------------------------------------------

@pytest.mark.parametrize("theirs,mine,backs", [
    (FIVE, FIVE, True),
    (FIVE, AT_LEAST_4, True),  # "at least 4" in the draft is backed by 5
    (AT_LEAST_4, FIVE, False),  # "at least 4" does not back a definite 5 ...
    (AT_LEAST_4, ELEVEN, False),  # ... nor 11
    (("about 15,000", 15000.0, 13500.0, 16500.0, "about", "troops"),
     ("15,000", 15000.0, 15000.0, 15000.0, "exact", "troops"), True),
    (("5", 5.0, 5.0, 5.0, "exact", "injured"), ELEVEN, True),  # another category says nothing about deaths
])
def test_a_source_backs_a_figure_only_as_precisely_as_it_gives_it(theirs, mine, backs):
    source_claim = claim("wire", 0, f"Officials said {theirs[0]} died.", theirs)
    draft_claim = claim("draft", 0, f"The toll is {mine[0]}.", mine)
    assert backs_figures((source_claim,), draft_claim) is backs


@pytest.mark.parametrize("theirs,mine,clash", [
    (FIVE, ELEVEN, True),  # "rose to 11" against "rose to 5": the judge's update is a contradiction here
    (AT_LEAST_4, FIVE, False),  # an earlier figure that still fits: no contradiction
    (AT_LEAST_4, ("4", 4.0, 4.0, 4.0, "exact", "killed"), False),
    (FIVE, ("4", 4.0, 4.0, 4.0, "exact", "killed"), True),  # the draft kept a figure the source revised
])
def test_an_update_contradicts_the_draft_only_when_the_figures_cannot_both_hold(theirs, mine, clash):
    from reconcile.check.relate import clashes

    assert clashes((claim("wire", 0, f"It rose to {theirs[0]}.", theirs),), claim("draft", 0, f"Now {mine[0]}.", mine)) is clash


def test_a_contradiction_is_pinned_on_the_draft_claim_that_carries_the_figure():
    headline = claim("draft", 0, "Drones strike Kyiv", words=("drone", "strike", "kyiv"))
    toll = claim("draft", 1, "The toll in Kyiv rose to 11.", ELEVEN, words=("toll", "kyiv", "rise"))
    theirs = claim("wire", 3, "The toll in Kyiv rose to 5.", FIVE)
    assert carriers(finding("update", "numeric", headline, toll, theirs), [headline, toll], (theirs,)) == [toll]


def test_a_denial_is_pinned_on_the_draft_claim_closest_to_the_denied_one():
    denied = claim("broadsheet", 5, "Iran has denied supplying drones to Russia.", polarity="denied",
                   words=("iran", "deny", "supply", "drone", "russia"))
    intro = claim("draft", 0, "Russia attacked Kyiv.", words=("russia", "attack", "kyiv"))
    supply = claim("draft", 3, "Iran supplied the drones to Russia.", words=("iran", "supply", "drone", "russia"))
    assert carriers(finding("contradiction", "denial", intro, supply, denied), [intro, supply], (denied,)) == [supply]


# --- from relations to verdicts ---------------------------------------------------------------

def conclude_one(draft_claim, relations, unique=(), ids=("a", "b", "c")):
    pairing = {"all": Pairing(tuple(relations), tuple(unique))}
    return conclude((draft_claim,), pairing, sources(*ids), _config())


def _config():
    from reconcile.pipeline import Config

    return Config()


def test_contradicted_and_told_by_nobody_is_a_contradiction():
    mine = claim("draft", 2, "The toll rose to 11.", ELEVEN)
    [verdict] = conclude_one(mine, [relation(mine, claim("a", 1, "The toll rose to 5.", FIVE), "update", "numeric")])
    assert (verdict.verdict, verdict.kind, verdict.against) == ("contradiction", "numeric", ("a",))
    assert verdict.summary == "deaths: the draft gives 11, but a gives 5"
    assert verdict.evidence[0] is mine


def test_told_by_one_source_and_contradicted_by_another_that_it_disagrees_with_is_disputed(monkeypatch):
    import reconcile.check.relate as relate

    monkeypatch.setattr(relate, "disagree", lambda *args: True)
    mine = claim("draft", 2, "Twelve died.", ("Twelve", 12.0, 12.0, 12.0, "exact", "killed"))
    told = claim("b", 1, "12 died.", ("12", 12.0, 12.0, 12.0, "exact", "killed"))
    [verdict] = conclude_one(mine, [relation(mine, claim("a", 1, "Nine died.", ("Nine", 9.0, 9.0, 9.0, "exact", "killed")),
                                             "contradiction", "numeric"), relation(mine, told, "agreement")])
    assert (verdict.verdict, verdict.against, verdict.supported_by) == ("disputed", ("a",), ("b",))
    assert "the sources disagree" in verdict.summary and told in verdict.evidence


def test_told_by_a_source_that_does_not_disagree_with_the_contradicting_one_stays_a_contradiction(monkeypatch):
    import reconcile.check.relate as relate

    monkeypatch.setattr(relate, "disagree", lambda *args: False)
    mine = claim("draft", 2, "The toll rose to 11.", ELEVEN)
    [verdict] = conclude_one(mine, [relation(mine, claim("a", 1, "The toll rose to 5.", FIVE), "update", "numeric"),
                                    relation(mine, claim("b", 1, "Drones hit Kyiv."), "agreement")])
    assert verdict.verdict == "contradiction"


def test_a_source_that_both_tells_and_contradicts_a_claim_counts_as_contradicting(monkeypatch):
    import reconcile.check.relate as relate

    monkeypatch.setattr(relate, "disagree", lambda *args: True)
    mine = claim("draft", 2, "Iran supplied the drones.")
    relations = [relation(mine, claim("a", 1, "Iran denied supplying drones.", polarity="denied"), "contradiction", "denial"),
                 relation(mine, claim("a", 2, "The drones were renamed."), "agreement")]
    [verdict] = conclude_one(mine, relations)
    assert (verdict.verdict, verdict.supported_by) == ("contradiction", ())


def test_against_a_denial_only_a_source_stating_the_fact_on_its_own_authority_takes_the_drafts_side(monkeypatch):
    import reconcile.check.relate as relate

    monkeypatch.setattr(relate, "disagree", lambda a, against, b, told, kind, config: bool(told))
    mine = claim("draft", 2, "Iran supplied the drones to Russia.")
    denial = relation(mine, claim("a", 1, "Iran denied supplying drones to Russia.", polarity="denied"),
                      "contradiction", "denial")
    attributed = relation(mine, claim("b", 1, "U.S. officials said Iran sent drones to Russia.", speaker="U.S. officials"),
                          "agreement")
    hedged = relation(mine, claim("c", 1, "Iran is believed to have sent drones.", modality="hedged"), "difference")
    [verdict] = conclude_one(mine, [denial, attributed, hedged])
    assert verdict.verdict == "contradiction"  # the draft should attribute it, as the sources do
    stated = relation(mine, claim("c", 1, "Iran sent drones to Russia."), "agreement")
    [verdict] = conclude_one(mine, [denial, attributed, stated])
    assert (verdict.verdict, verdict.supported_by) == ("disputed", ("c",))


def test_a_draft_that_attributes_the_fact_may_be_backed_by_attributed_sources(monkeypatch):
    import reconcile.check.relate as relate

    monkeypatch.setattr(relate, "disagree", lambda *args: True)
    mine = claim("draft", 2, "Ukrainian officials said Iran supplied the drones.", speaker="Ukrainian officials")
    relations = [relation(mine, claim("a", 1, "Iran denied supplying drones.", polarity="denied"), "contradiction", "denial"),
                 relation(mine, claim("b", 1, "Officials said Iran sent the drones.", speaker="officials"), "agreement")]
    assert conclude_one(mine, relations)[0].verdict == "disputed"


def test_a_checkable_claim_nobody_tells_is_unsupported_and_a_told_one_is_fine():
    mine = claim("draft", 4, "Police arrested 4 men.", ("4", 4.0, 4.0, 4.0, "exact", "arrested"))
    unique = finding("unique", None, mine, topic="arrests")
    [verdict] = conclude_one(mine, [], unique=[(mine.id, unique)])
    assert (verdict.verdict, verdict.summary) == ("unsupported", "arrests: no source gives 4 (arrests)")
    told = relation(mine, claim("a", 1, "Four men were arrested.", ("Four", 4.0, 4.0, 4.0, "exact", "arrested")), "agreement")
    assert conclude_one(mine, [told], unique=[(mine.id, unique)]) == []


def test_plain_background_the_judge_would_not_list_is_not_unsupported():
    mine = claim("draft", 4, "The weather was mild.")
    assert conclude_one(mine, []) == []


# --- severity and thresholds ------------------------------------------------------------------

@pytest.mark.parametrize("fail_on,failing", [
    ("contradiction", {"contradiction"}),
    ("disputed", {"contradiction", "disputed"}),
    ("unsupported", {"contradiction", "disputed", "unsupported"}),
    ("any", {"contradiction", "disputed", "unsupported", "omitted"}),
    ("never", set()),
])
def test_fail_on_is_a_threshold(fail_on, failing):
    verdicts = ("contradiction", "disputed", "unsupported", "omitted")
    assert {v for v in verdicts if fails(v, fail_on)} == failing
    assert severity("contradiction", fail_on) == "error"  # whatever --fail-on says
    assert {v for v in verdicts if severity(v, fail_on) == "error"} == failing | {"contradiction"}


def test_an_unknown_fail_on_is_a_config_error():
    with pytest.raises(ConfigError, match="fail-on"):
        CheckOptions(fail_on="sometimes")


# --- locations and fingerprints ----------------------------------------------------------------

def test_locations_count_characters_and_bytes_and_end_one_past_the_sentence():
    text = "Intro.\nThe caf\u00e9 in Kyiv \u2014 hit twice.\nNext line.\n"
    source = Source(id="d", name="d", path="d.md", text=text)
    start = text.index("The")
    loc = locate(source, start, text.index("Next") - 1)
    assert (loc.line, loc.column, loc.end_line, loc.end_column) == (2, 1, 2, 30)
    assert (loc.byte_column, loc.byte_end_column) == (1, 33)  # é is 2 bytes, the dash 3


def test_a_sentence_over_two_lines_ends_on_the_second():
    text = "First half of the sentence\nand its end. Next."
    loc = locate(Source(id="d", name="d", path=None, text=text), 0, text.index("Next") - 1)
    assert (loc.line, loc.column, loc.end_line, loc.end_column) == (1, 1, 2, 13)


def test_fingerprints_ignore_whitespace_and_change_with_the_words():
    a = fingerprint_of("contradiction", "numeric", "The toll rose\n to 11.")
    assert a == fingerprint_of("contradiction", "numeric", "The toll rose to 11.")
    assert a != fingerprint_of("contradiction", "numeric", "The toll rose to 12.")
    assert a != fingerprint_of("disputed", "numeric", "The toll rose to 11.")


# --- inputs -------------------------------------------------------------------------------------

def test_a_draft_in_the_sources_folder_is_not_its_own_source(tmp_path):
    for name in ("wire.txt", "daily.txt"):
        (tmp_path / name).write_text(f"Nine people died in Velmar, the {name[:-4]} reported.\n", encoding="utf-8")
    (tmp_path / "draft.md").write_text("Nine people died in Velmar.\n", encoding="utf-8")
    drafts, found = load_inputs([tmp_path / "draft.md"], [tmp_path])
    assert [d.id for d in drafts] == ["draft"] and [s.id for s in found] == ["daily", "wire"]


def test_a_draft_named_like_a_source_gets_its_own_id(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "wire.txt").write_text("Nine people died in Velmar.\n", encoding="utf-8")
    (tmp_path / "wire.md").write_text("Nine people died in Velmar.\n", encoding="utf-8")
    drafts, found = load_inputs([tmp_path / "wire.md"], [tmp_path / "src"])
    assert drafts[0].id == "draft-wire" and found[0].id == "wire"


def test_no_sources_left_is_an_input_error(tmp_path):
    (tmp_path / "draft.md").write_text("Nine people died in Velmar.\n", encoding="utf-8")
    with pytest.raises(InputError, match="no sources"):
        load_inputs([tmp_path / "draft.md"], [tmp_path])


# --- end to end: an invented storm --------------------------------------------------------------

VELMAR = {
    "alpha.txt": "At least 12 people were killed when the storm struck the harbour town of Velmar on Tuesday, "
                 "the regional governor said.\nRescue teams evacuated 3,000 residents from the low-lying districts "
                 "before the river burst its banks.\nThe governor announced an emergency fund of 20 million euros "
                 "for the rebuilding of the harbour.\n",
    "beta.txt": "Nine people were killed when the storm struck the harbour town of Velmar on Tuesday, the regional "
                "governor said.\nRescue teams evacuated 3,000 residents from the low-lying districts before the "
                "river burst its banks.\nThe harbour master said the sea wall had held for most of the night.\n",
    "gamma.md": "The storm that struck the harbour town of Velmar on Tuesday killed 12 people, the governor said.\n"
                "Some 3,000 residents were evacuated from low-lying districts as the river burst its banks.\n"
                "The regional utility denied that its dam release had worsened the flooding in Velmar.\n",
}
VELMAR_DRAFT = """\
# Storm hits Velmar

The storm that struck the harbour town of Velmar on Tuesday killed 12 people, the regional governor said.

The dam release by the regional utility worsened the flooding in Velmar.

Police arrested 4 men for looting shops in the harbour district on Wednesday.
"""


@pytest.fixture
def velmar(tmp_path) -> tuple[Path, Path]:
    folder = tmp_path / "sources"
    folder.mkdir()
    for name, text in VELMAR.items():
        (folder / name).write_text(text, encoding="utf-8")
    draft = tmp_path / "draft.md"
    draft.write_text(VELMAR_DRAFT, encoding="utf-8")
    return draft, folder


def verdicts(report) -> dict[int, tuple[str, str | None, str]]:
    return {i.location.line: (i.verdict, i.finding.kind, i.severity) for i in report.issues}


def test_velmar_draft(velmar):
    draft, folder = velmar
    report = check([draft], [folder])
    assert verdicts(report) == {
        3: ("disputed", "numeric", "warning"),  # 12 as gamma, against beta's nine
        5: ("contradiction", "denial", "error"),  # stated as fact; gamma reports the utility's denial
        7: ("unsupported", None, "warning"),  # no source mentions arrests
    }
    assert report.status == 1
    by_line = {i.location.line: i for i in report.issues}
    assert by_line[3].against == ("beta",) and by_line[3].supported_by == ("gamma",)
    assert by_line[5].against == ("gamma",)


def test_velmar_fail_on_changes_the_status_and_the_severity(velmar):
    draft, folder = velmar
    assert check([draft], [folder], CheckOptions(fail_on="never")).status == 0
    report = check([draft], [folder], CheckOptions(fail_on="unsupported"))
    assert {v[2] for v in verdicts(report).values()} == {"error"}


def test_coverage_reports_what_all_sources_tell_and_the_draft_leaves_out(velmar):
    draft, folder = velmar
    report = check([draft], [folder], CheckOptions(coverage=True))
    [omitted] = [i for i in report.issues if i.verdict == "omitted"]
    assert omitted.location.line == 1 and omitted.supported_by == ("alpha", "beta", "gamma")
    assert "3,000" in omitted.finding.claims[0].sentence.text
    assert all(c.source_id != "draft" for c in omitted.finding.claims)
    strict = check([draft], [folder], CheckOptions(coverage=True, coverage_min_sources=4))
    assert not [i for i in strict.issues if i.verdict == "omitted"]


def test_inline_markers_and_config_rules_accept_findings(velmar):
    draft, folder = velmar
    text = VELMAR_DRAFT.replace("The dam release", "<!-- reconcile: ignore -->\nThe dam release")
    text = text.replace("Wednesday.", "Wednesday. <!-- reconcile: ignore unsupported -->")
    draft.write_text(text, encoding="utf-8")
    report = check([draft], [folder], CheckOptions(ignore=({"verdict": ("disputed",)},)))
    assert report.issues == () and report.status == 0
    assert sorted(i.suppressed for i in report.suppressed) == ["config", "inline", "inline"]


def test_the_baseline_accepts_findings_until_the_sentence_changes(velmar, tmp_path):
    from reconcile.check import baseline_entries
    from reconcile.check.suppress import baseline_text, load_baseline

    draft, folder = velmar
    first = check([draft], [folder])
    path = tmp_path / "baseline.json"
    path.write_text(baseline_text(baseline_entries(first, str(tmp_path))), encoding="utf-8")
    options = CheckOptions(baseline=load_baseline(path), baseline_dir=str(tmp_path))
    draft.write_text("\n\n" + VELMAR_DRAFT, encoding="utf-8")  # lines move: still accepted
    assert check([draft], [folder], options).issues == ()
    draft.write_text(VELMAR_DRAFT.replace("worsened the flooding", "made the flooding worse"), encoding="utf-8")
    again = check([draft], [folder], options)
    assert [(i.verdict, i.location.line) for i in again.issues] == [("contradiction", 5)]


def test_several_drafts_are_checked_on_their_own(velmar, tmp_path):
    draft, folder = velmar
    second = tmp_path / "second.md"
    second.write_text("Nine people were killed when the storm struck the harbour town of Velmar on Tuesday, "
                      "the regional governor said.\n", encoding="utf-8")
    report = check([draft, second], [folder])
    assert report.drafts == ("draft", "second")
    assert {(i.draft, i.location.line) for i in report.issues} >= {("draft", 5), ("second", 1)}
    assert [s.id for s in report.sources[:2]] == ["draft", "second"]


# --- end to end: the newsroom drafts of fixtures/drafts/ ----------------------------------------

def kyiv(draft: Path):
    return check([draft], [KYIV])


def test_the_changed_death_toll_is_a_numeric_contradiction_at_its_line():
    report = kyiv(WRONG)
    toll = [i for i in report.issues if i.location.line == 9 and i.verdict == "contradiction"]
    assert [(i.finding.kind, i.location.column, i.severity) for i in toll] == [("numeric", 1, "error")]
    assert "11" in toll[0].finding.summary and "broadsheet" in toll[0].against
    assert report.status == 1


def test_iran_supplying_the_drones_stated_as_fact_is_a_denial_contradiction():
    report = kyiv(WRONG)
    iran = [i for i in report.issues if i.location.line == 11]
    assert [(i.verdict, i.finding.kind, i.severity) for i in iran] == [("contradiction", "denial", "error")]
    assert iran[0].claim.sentence.text.startswith("Iran supplied the drones to Russia")
    assert "broadsheet" in iran[0].against


def test_the_wrong_draft_has_exactly_the_two_contradictions():
    report = kyiv(WRONG)
    errors = [(i.location.line, i.verdict, i.finding.kind) for i in report.issues if i.severity == "error"]
    assert errors == [(9, "contradiction", "numeric"), (11, "contradiction", "denial")]
    assert report.status == 1


def test_the_faithful_draft_passes():
    report = kyiv(FAITHFUL)
    assert [i for i in report.issues if i.severity == "error"] == []
    assert report.status == 0


def test_the_faithful_drafts_toll_is_disputed_not_contradicted():
    """cable.txt says it is unclear whether anyone died; broadsheet.md gives 5, as the draft does."""
    report = kyiv(FAITHFUL)
    toll = [i for i in report.issues if i.location.line == 9]
    assert [(i.verdict, i.severity) for i in toll] == [("disputed", "warning")]
    assert toll[0].against == ("cable",) and "broadsheet" in toll[0].supported_by


def test_the_report_is_the_json_contract():
    import json
    from importlib import resources

    import jsonschema

    schema = json.loads(resources.files("reconcile.data").joinpath("report.schema.json").read_text(encoding="utf-8"))
    for draft in (WRONG, FAITHFUL):
        report = kyiv(draft)
        jsonschema.validate(report.to_dict(), schema)
        jsonschema.validate(report.to_dict(explain=True), schema)
        data = report.to_dict()
        assert data["check"]["status"] == report.status
        assert [s["role"] for s in data["sources"]] == ["draft", "source", "source", "source"]


def test_checked_claims_are_the_drafts_checkable_ones_in_order():
    report = kyiv(WRONG)
    assert report.checked and all(c.source_id == "kyiv-drones-wrong" for c in report.checked)
    assert [c.sentence.index for c in report.checked] == sorted(c.sentence.index for c in report.checked)


def test_a_draft_date_never_turns_its_figure_into_an_update(tmp_path):
    """The wrong draft's front matter dates it after every source; its 11 is still a contradiction."""
    later = tmp_path / "later.md"
    later.write_text(WRONG.read_text(encoding="utf-8").replace("2022-10-17T21:00:00Z", "2022-10-19T08:00:00Z"),
                     encoding="utf-8")
    toll = [i for i in check([later], [KYIV]).issues if i.location.line == 9]
    assert [i.verdict for i in toll] == ["contradiction"]


def test_the_report_is_frozen():
    report = kyiv(FAITHFUL)
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.fail_on = "never"  # type: ignore[misc]


def _check_dict(jobs):
    from reconcile.pipeline import Config

    options = CheckOptions(config=Config(jobs=jobs), coverage=True)
    return check([WRONG], [KYIV, FIXTURES / "coastal-storm", FIXTURES / "refinery-fire"], options).to_dict()


def test_pairing_sources_in_forked_workers_gives_the_same_report():
    assert _check_dict(jobs=2) == _check_dict(jobs=1)


def test_contradicted_claims_split_between_processes_give_the_same_report(monkeypatch):
    from reconcile import execution
    from reconcile.check import relate

    alone = _check_dict(jobs=1)
    assert sum(f["verdict"] == "contradiction" for f in alone["findings"]) > 1
    split: list[int] = []
    map_chunks = execution.map_chunks

    def counting(work, chunks, jobs):
        split.append(len(chunks))
        return map_chunks(work, chunks, jobs)

    monkeypatch.setattr(relate, "CONCLUDE_FORK_MIN", 1)
    monkeypatch.setattr(execution, "map_chunks", counting)
    relate._contradict.cache_clear()
    assert _check_dict(jobs=2) == alone
    assert split and split[-1] >= 2  # the contradicted claims, one chunk each


def test_no_fork_while_another_thread_runs():
    import threading

    from reconcile import execution
    from reconcile.check import parallel

    import sys

    if sys.platform.startswith("linux") and execution.cpus() > 1 \
            and threading.active_count() == 1:  # earlier tests may leave a thread behind
        assert parallel._jobs(0, 50) > 1
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert parallel._jobs(0, 50) == 1
    finally:
        stop.set()
        other.join()
    assert parallel._jobs(0, parallel.FORK_MIN_SOURCES - 1) == 1
