"""The fixtures written for the fact model, end to end through the CLI's JSON: a toll that
rises over a day is one update row and no contradiction, dated or not; a subset, an aftershock
and distances from two towns are not contradictions; slot words of one fact contradict."""
import json

from click.testing import CliRunner

from reconcile.cli import main

from conftest import FIXTURES


def report(folder):
    result = CliRunner().invoke(main, ["compare", str(FIXTURES / folder), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["findings"]


def rows(findings, verdict, topic):
    return [f for f in findings if f["verdict"] == verdict and f["topic"] == topic]


def test_a_toll_rising_over_a_dated_day_is_one_update_row():
    findings = report("rising-toll")
    deaths = rows(findings, "update", "death toll")
    assert len(deaths) == 1
    assert {v["source"]: v["value"] for v in deaths[0]["values"]} == \
        {"wire": "3", "radio": "at least 7", "gazette": "12", "courier": "19"}
    assert not [f for f in findings if f["verdict"] == "contradiction"]
    background = [f for f in findings if "in 2011" in f["topic"]]
    assert not [f for f in background if f["verdict"] == "contradiction"]


def test_an_undated_toll_revised_in_words_is_an_update_and_a_plain_clash_a_contradiction():
    findings = report("rising-toll-undated")
    assert len(rows(findings, "update", "death toll")) == 1
    assert not rows(findings, "contradiction", "death toll")
    rescued = rows(findings, "contradiction", "rescued")
    assert rescued and rescued[0]["conflicts"]


def test_subsets_and_other_tremors_are_not_contradictions():
    findings = report("subset-and-background")
    assert not [f for f in findings if f["verdict"] == "contradiction" and f["kind"] == "numeric"
                and f["topic"] in ("injuries", "distance")]
    assert rows(findings, "agreement", "death toll")


def test_slot_words_of_one_fact_contradict_and_name_their_pairs():
    findings = report("categorical-slots")
    for topic in ("the weapon", "condition of the wounded", "where the victim died"):
        found = [f for f in findings if f["verdict"] == "contradiction" and f["topic"].startswith(topic)]
        assert found and found[0]["kind"] == "slot" and found[0]["conflicts"], topic
    assert not [f for f in findings if f["verdict"] == "contradiction" and f["topic"].startswith("number of shots")]


def test_a_slip_in_a_name_contradicts_and_forms_of_a_name_do_not():
    findings = report("name-spelling")
    spelling = [f for f in findings if f["verdict"] == "contradiction" and f["topic"].startswith("spelling of the name")]
    assert len(spelling) == 1 and spelling[0]["kind"] == "slot"
    assert {v["source"]: v["value"] for v in spelling[0]["values"]} == \
        {"wire": "Tobias Wrenfield", "radio": "Tobias Wrenfeld", "gazette": "Tobias Wrenfield"}
    assert len([f for f in findings if f["verdict"] == "contradiction"]) == 1


def test_one_more_wounded_counts_one_and_a_fraction_counts_no_one():
    findings = report("one-more-wounded")
    injured = rows(findings, "contradiction", "injuries")
    assert len(injured) == 1
    assert {v["source"]: v["value"] for v in injured[0]["values"]} == {"wire": "1", "radio": "1", "daily": "2"}
    assert len([f for f in findings if f["verdict"] == "contradiction"]) == 1


def test_a_debunk_in_its_own_words_and_a_withdrawn_story_oppose_the_tellers():
    findings = report("viral-claim")
    denials = [f for f in findings if f["verdict"] == "contradiction" and f["kind"] == "denial"]
    deniers = {c["source"] for f in denials for c in f["claims"] if c["polarity"] == "denied"}
    assert deniers == {"checker", "wire"}
    # "the footage was not faked" vouches for the story: the filmer is a teller, never a denier
    assert all("towpath" in f["summary"].split(";")[0] for f in denials)
