"""Verdicts through the Python API on small hand-written articles."""
import pytest

from articles import compare_texts as run
from articles import findings as verdicts

from reconcile.judge.figures import compatible


@pytest.mark.parametrize("a,b,ok", [((4, float("inf")), (6, 6), True), ((4, 4), (6, 6), False),
                                    ((24, 99), (40, 40), True), ((0, 10), (12, 12), False)])
def test_intervals(a, b, ok):
    assert compatible(a, b) is ok


def test_different_death_tolls_contradict():
    report = run("A storm hit the port town of Velmar on Sunday. Nine people were killed in Velmar, officials said.",
                 "A storm hit the port town of Velmar on Sunday. Fourteen people were killed in Velmar, officials said.")
    found = verdicts(report, "contradiction", "numeric")
    assert found and found[0].topic == "death toll" and "9 (s1) · 14 (s2)" in found[0].summary
    assert found[0].conflicts == ((0, 1),)


def test_lower_bound_and_figure_within_it_do_not_contradict():
    report = run("A storm hit the port town of Velmar on Sunday. At least 4 people were killed in Velmar.",
                 "A storm hit the port town of Velmar on Sunday. Six people were killed in Velmar.")
    assert not verdicts(report, "contradiction")


def test_a_rising_toll_is_an_update():
    report = run("A storm hit the port town of Velmar on Sunday. Four people were killed in Velmar.",
                 "A storm hit the port town of Velmar on Sunday. The death toll in Velmar rose to 9.")
    assert verdicts(report, "update") and not verdicts(report, "contradiction", "numeric")


def test_later_source_with_larger_toll_is_an_update():
    report = run("A storm hit the port town of Velmar on Sunday. Four people were killed in Velmar.",
                 "A storm hit the port town of Velmar on Sunday. Nine people were killed in Velmar.",
                 dates={"s1": "2024-03-01T08:00Z", "s2": "2024-03-02T08:00Z"})
    assert verdicts(report, "update") and not verdicts(report, "contradiction", "numeric")


def test_different_things_counted_are_never_compared():
    report = run("Flooding reached 15 other towns along the Arel river, the governor said on Monday.",
                 "Flooding left 15,000 homes along the Arel river without power, the governor said on Monday.")
    assert not verdicts(report, "contradiction", "numeric")


def test_fact_against_denial_is_a_denial_contradiction():
    report = run("The blaze at the Norhaven refinery was started by hackers of the Grey Lynx group, police said.",
                 "The Grey Lynx group denied starting the blaze at the Norhaven refinery, calling the claim false.")
    assert verdicts(report, "contradiction", "denial")


def test_two_denials_of_the_same_story_agree():
    report = run("The Grey Lynx group denied starting the blaze at the Norhaven refinery, calling the claim false.",
                 "Grey Lynx said reports that it started the Norhaven refinery blaze were false.")
    assert not verdicts(report, "contradiction")


def test_figure_against_unclear_is_a_hedge_contradiction():
    report = run("Drones struck the Velmar power plant on Monday. It is unclear whether there were casualties.",
                 "Drones struck the Velmar power plant on Monday. Three people were killed at the plant.")
    assert verdicts(report, "contradiction", "hedge")


def test_fact_against_belief_agrees_and_says_who_hedges():
    report = run("The drones that struck Velmar on Monday were built in Teralia, the army said.",
                 "The drones that struck Velmar on Monday are believed to have been built in Teralia.")
    found = verdicts(report, "agreement", "hedge")
    assert found and "stated as fact by s1; hedged in s2" in found[0].summary
    assert not verdicts(report, "contradiction")


def test_same_fact_in_other_words_agrees_and_a_lone_figure_is_unique():
    report = run("Rescuers pulled 18 people from the rubble of the collapsed Velmar apartment block on Monday.",
                 "On Monday rescuers pulled 18 people out of the rubble of the Velmar apartment block that collapsed.\n"
                 "Police arrested 8 people over the blast at the Arel bridge.")
    assert verdicts(report, "agreement")
    assert any("8" in f.summary for f in verdicts(report, "unique"))


def test_a_running_total_is_not_compared_with_one_attack():
    report = run("Drones struck Velmar on Monday. Four people were killed in Velmar, officials said.",
                 "Drones struck Velmar on Monday. Officials said 310 people have been killed nationwide since the war began.")
    assert not verdicts(report, "contradiction", "numeric")


def test_tolls_of_different_places_are_not_compared():
    report = run("A storm hit the coast on Sunday. Nine people were killed in Saltmere, officials said.",
                 "A storm hit the coast on Sunday. Fourteen people were killed in Westhaven, officials said.")
    assert not verdicts(report, "contradiction", "numeric")


def test_parts_add_up_to_a_total():
    # "a couple ... among those killed. Four other people died" is at least 6, which fits 6.
    report = run("Drones hit a block in Velmar. A young couple was among those killed. Four other people died in Velmar.",
                 "Drones hit a block in Velmar. Six people were killed in Velmar, officials said.")
    assert not verdicts(report, "contradiction", "numeric")


def test_the_same_figure_worded_differently_agrees():
    report = run("A fire broke out at the Norhaven refinery on Tuesday. Seven workers were injured, the company said.",
                 "The Norhaven refinery burned for hours on Tuesday. Seven employees were hurt in the blaze.")
    agreed = [f for f in verdicts(report, "agreement") if f.topic == "injuries"]
    assert agreed and {c.source_id for c in agreed[0].claims} == {"s1", "s2"}
    assert not [f for f in verdicts(report, "unique") if f.topic == "injuries"]


def test_equal_numbers_of_different_things_do_not_agree():
    report = run("Flooding reached 15 towns along the Arel river on Monday.",
                 "Flooding along the Arel river on Monday damaged 15 bridges.")
    assert not [f for f in verdicts(report, "agreement") if f.topic in ("towns", "bridges")]


def test_a_figure_only_one_source_gives_is_unique_even_inside_an_aligned_sentence():
    report = run("Police arrested 8 people over the blast at the Arel bridge in Velmar on Tuesday.",
                 "The blast at the Arel bridge in Velmar on Tuesday was investigated by police.")
    assert any("8" in f.summary and f.topic == "arrests" for f in verdicts(report, "unique"))


def test_a_teller_that_debunks_the_same_story_itself_is_not_opposed_at_story_level():
    report = run("A video of a bird landing on the mayor of Velmar went viral. The video of the mayor and the bird "
                 "was doctored, experts at the Velmar film school said. Editors spotted the edit at once.",
                 "A video of a bird landing on the mayor of Velmar spread online on Sunday. Velmar film school experts "
                 "said the clip of the mayor and the bird was fake. The mayor laughed it off.")
    assert not verdicts(report, "contradiction", "denial")


def test_doubt_alone_hedges_a_fact_rather_than_denying_it():
    from reconcile.claims import claim_of
    from reconcile.judge import _source_stance
    from reconcile.models import Sentence

    def claim(text):
        return claim_of(Sentence("s", 0, 0, len(text), 1, 1, text))

    assert _source_stance([claim("Experts cast doubt on the story that a spider lived under his skin.")], False) == "hedged"
    assert _source_stance([claim("The story that a spider lived under his skin is a hoax.")], False) == "denied"


def test_the_same_two_tolls_told_by_several_pairs_of_sources_make_one_finding():
    lead = "A storm hit the port town of Velmar on Sunday, bringing down power lines across the harbour district. "
    report = run(lead + "Four people were killed, the mayor said.",
                 lead + "Officials said four people had died.",
                 lead + "Nine people died in the storm, hospital staff said.",
                 lead + "Hospital staff said nine people died in the storm.")
    found = verdicts(report, "contradiction", "numeric")
    assert [f.summary for f in found] == \
        ["death toll: 4 (s1, s2) · 9 (s3, s4); cannot both be true: s1 vs s3, s1 vs s4, s2 vs s3, s2 vs s4"]
    assert sorted({c.source_id for c in found[0].claims}) == ["s1", "s2", "s3", "s4"]


def test_a_denial_opposed_in_its_group_is_not_opposed_again_pair_by_pair():
    told = ("Investigators in Norhaven said a cyberattack on the Ashen Spit refinery's control system caused "
            "Tuesday's fire, which burned for six hours.")
    denial = ("The refinery's owner denied that a cyberattack caused Tuesday's fire at the Ashen Spit refinery in "
              "Norhaven, calling the reports false. The fire burned for six hours.")
    report = run(told, told.replace("Investigators", "Police investigators"), denial)
    found = verdicts(report, "contradiction", "denial")
    assert len(found) == 1, [f.summary for f in found]
    assert {c.source_id for c in found[0].claims} == {"s1", "s2", "s3"}


def test_the_same_two_tolls_in_two_unrelated_events_stay_two_findings():
    bridge = ("Bridge collapse in Calder\n\n{n} people were killed when the Calder river bridge collapsed on Monday "
              "morning, police said. Mayor Anna Weber said the bridge had been closed for repairs last year.")
    fire = ("Refinery fire in Norhaven\n\n{n} workers were killed in a fire at the Norhaven refinery on Saturday, "
            "the fire brigade said. Company director Karl Berg said production had been halted at the plant.")
    report = run(bridge.format(n="Four"), bridge.format(n="Nine"), fire.format(n="Four"), fire.format(n="Nine"))
    found = sorted(f.summary for f in verdicts(report, "contradiction", "numeric"))
    assert found == ["death toll: 4 (s1) · 9 (s2); cannot both be true: s1 vs s2",
                     "death toll: 4 (s3) · 9 (s4); cannot both be true: s3 vs s4"]


def _fixture_groups():
    from pathlib import Path

    from reconcile.align import align
    from reconcile.pipeline import claims_of, to_sources

    root = Path(__file__).resolve().parent.parent / "fixtures"
    sources = to_sources([root / "kyiv-drones", root / "coastal-storm", root / "refinery-fire"])
    claims = tuple(c for s in sources for c in claims_of(s))
    return align(claims), sources


def test_quotation_findings_do_not_depend_on_the_order_claims_come_in():
    from reconcile.judge.quotes import judge_quotes

    groups, _ = _fixture_groups()
    claims = [c for g in groups for c in g.claims]
    found = judge_quotes(claims)
    assert found and judge_quotes(claims[::-1]) == found


def test_the_judge_is_a_function_of_its_input():
    """The same groups and sources give the same findings, run after run and in any process."""
    import reconcile.judge as judge_module

    groups, sources = _fixture_groups()
    first = judge_module.judge(groups, sources)
    assert any(f.kind == "quote" for f in first) and any(len(f.claims) > 1 for f in first)
    assert judge_module.judge(groups, sources) == first


@pytest.mark.parametrize("text,worthy", [
    ("About 80 people were working in the depot at the time.", True),
    ("The council promised 2,000 crowns to each family.", True),
    ("Several people were working in the depot at the time.", False),
    ("The depot is on the edge of town.", False),
])
def test_a_counted_figure_alone_makes_a_sentence_worth_a_single_source_row(text, worthy):
    from reconcile.claims import claim_of
    from reconcile.judge import _is_unique_worthy
    from reconcile.models import Sentence

    assert _is_unique_worthy(claim_of(Sentence("s", 0, 0, len(text), 1, 1, text))) is worthy


def _group(*texts_by_source):
    from reconcile.claims import claim_of
    from reconcile.models import Group, Sentence

    claims = tuple(claim_of(Sentence(sid, n, 0, len(t), n + 1, 1, t)) for n, (sid, t) in enumerate(texts_by_source))
    return Group(claims=claims, score=80.0)


def test_a_group_keeps_at_most_two_sentences_of_a_source_those_that_share_the_most():
    from reconcile.judge import cohesive

    g = _group(("a", "Storm Velda flooded the harbour district of Marrow on Sunday night."),
               ("a", "The harbour district of Marrow was flooded by Storm Velda, the council said."),
               ("a", "Marrow's mayor said the storm was the worst in memory."),
               ("b", "Storm Velda flooded the harbour district of Marrow overnight."))
    out = cohesive((g,), 2, frozenset())
    kept = [x for x in out if len(x.claims) > 1]
    assert len(kept) == 1 and [c.sentence.index for c in kept[0].claims] == [0, 1, 3]
    assert [[c.sentence.index for c in x.claims] for x in out if len(x.claims) == 1] == [[2]]


def test_a_group_of_two_sentences_per_source_stays_whole():
    from reconcile.judge import cohesive

    g = _group(("a", "Storm Velda flooded the harbour district of Marrow on Sunday night."),
               ("a", "The harbour district of Marrow was flooded by Storm Velda, the council said."),
               ("b", "Storm Velda flooded the harbour district of Marrow overnight."),
               ("b", "Floods from Storm Velda reached the harbour district of Marrow."))
    assert cohesive((g,), 2, frozenset()) == (g,)


def test_every_toll_a_doubt_meets_is_one_hedge_row():
    report = run("A gas blast hit a flat in Orlen on Monday. At least 4 people were killed, police said.",
                 "A gas blast hit a flat in Orlen on Monday. Five people were killed, police said.",
                 "A gas blast hit a flat in Orlen on Monday. It is unclear whether anyone was killed.")
    hedges = verdicts(report, "contradiction", "hedge")
    assert len(hedges) == 1
    assert hedges[0].summary == "death toll: at least 4 (s1) · 5 (s2) vs unclear (s3)"


# A debunk in words of its own ("the whole thing is almost certainly fake") names nothing of the
# story it calls false, so no sentence of it aligns with the story's.
_RETOLD = ("A farmer in Orlen says a hailstone the size of a melon fell on his barn on Friday. "
           "He showed reporters a photograph of the hailstone beside a bucket. "
           "Neighbours said the storm over Orlen lasted twenty minutes.")
_BARE_DEBUNK = ("A farmer in Orlen claims a hailstone the size of a melon fell on his barn on Friday, and pictures "
                "of it beside a bucket spread quickly online. Sadly, the whole thing is almost certainly fake.")


def test_a_debunk_in_words_of_its_own_opposes_the_story_the_other_source_tells():
    report = run(_RETOLD, _BARE_DEBUNK)
    found = [f for f in verdicts(report, "contradiction", "denial") if "judge.denial.story" in f.rules]
    assert found and {c.source_id for c in found[0].claims} == {"s1", "s2"}


def test_a_denial_that_names_its_own_target_does_not_debunk_the_shared_story():
    for target in ("claims of unpaid rent", "posts about a second storm"):
        side_story = ("A farmer in Orlen claims a hailstone the size of a melon fell on his barn on Friday, and "
                      f"pictures of it beside a bucket spread quickly online. Police said {target} were false.")
        story_level = [f for f in verdicts(run(_RETOLD, side_story), "contradiction", "denial")
                       if "judge.denial.story" in f.rules]
        assert not story_level, target


def test_a_bare_debunk_counts_only_against_a_source_that_debunks_nothing():
    from reconcile.claims import claim_of
    from reconcile.judge.stories import StoryStance
    from reconcile.models import Sentence

    def claims(source, *texts):
        return [claim_of(Sentence(source, i, 0, len(t), i + 1, 1, t)) for i, t in enumerate(texts)]

    teller = claims("a", "A farmer in Orlen says a melon-sized hailstone fell on his barn.")
    doubter = claims("a", "A farmer in Orlen says a melon-sized hailstone fell on his barn.",
                     "Meteorologists called the picture of the barn a hoax.")
    debunker = claims("b", "Sadly, the whole thing is almost certainly fake.", "Neighbours laughed.")
    assert StoryStance({"a": teller, "b": debunker}).bare_debunks("b", "a") == [debunker[0]]
    assert StoryStance({"a": doubter, "b": debunker}).bare_debunks("b", "a") == []


def test_a_doubt_about_something_else_does_not_contradict_a_stated_figure():
    report = run("A meteor left a crater 5 metres deep near the village of Tarn on Sunday, geologists said.",
                 "A meteor struck near the village of Tarn on Sunday, geologists said; "
                 "it was unclear whether the meteor broke apart or was buried near the village of Tarn.")
    assert not verdicts(report, "contradiction", "hedge")


@pytest.mark.parametrize("doubt,contradicts", [
    ("it is unclear whether there were casualties.", True),
    ("officials could not confirm the commander's death.", False),  # one person's death, not the toll
])
def test_a_doubt_contradicts_a_stated_toll_only_when_it_speaks_of_the_count(doubt, contradicts):
    strike = "An air strike hit a convoy near Harrow Ridge on Monday"
    report = run(f"{strike}, killing at least 6 fighters, officials said.", f"{strike}; {doubt}")
    assert bool(verdicts(report, "contradiction", "hedge")) is contradicts


_DENIED = ("Officials in Velmar denied that a lion escaped from the city zoo on Sunday. "
           "The zoo said all its animals were accounted for.")


def test_a_teller_that_denies_in_its_own_voice_what_the_other_tells_disputes_it():
    from reconcile.claims import claim_of
    from reconcile.judge.stories import StoryStance
    from reconcile.models import Sentence

    def claims(source, *texts):
        return [claim_of(Sentence(source, i, 0, len(t), i + 1, 1, t)) for i, t in enumerate(texts)]

    denier = claims("b", "Officials in Velmar denied that a lion escaped from the city zoo on Sunday.",
                    "Its new aviary opened in May with forty parrots.")
    lead = "A lion escaped from the city zoo in Velmar on Sunday, police said."
    for second, disputes in (("Keepers said a photograph of forty parrots in the aviary was fake.", True),
                             ("Separately, the Velmar council denied a request to close the market.", False),
                             ("Keepers caught it, though the aviary's keepers have denied any fault.", False)):
        story = StoryStance({"a": claims("a", lead, second), "b": denier})
        assert story.disputes("a", "b") is disputes, second


def test_a_denial_conceded_in_passing_leaves_the_teller_a_teller():
    teller = ("A lion escaped from the city zoo in Velmar on Sunday, police said. "
              "Keepers caught it near the river, though the animals' keepers have denied any fault.")
    assert verdicts(run(teller, _DENIED), "contradiction", "denial")


def test_a_teller_denying_something_else_that_shares_one_word_stays_a_teller():
    teller = ("A lion escaped from the city zoo in Velmar on Sunday, police said. "
              "Separately, the Velmar council denied a request to close the market.")
    assert verdicts(run(teller, _DENIED), "contradiction", "denial")


@pytest.mark.parametrize("stated,doubt", [
    ("At least 14 people perished when a ferry sank off Dunmore on Friday.",
     "A ferry sank off Dunmore on Friday; it is unclear how many people perished."),
    ("About 2,000 residents of Lowick were evacuated on Friday as the river rose.",
     "Residents of Lowick were evacuated on Friday as the river rose; it is unclear how many were evacuated."),
])
def test_a_doubt_meets_a_figure_of_any_counted_kind_in_one_row(stated, doubt):
    hedges = verdicts(run(stated, doubt), "contradiction", "hedge")
    assert len(hedges) == 1
