"""The fact stage: which figures and slot words are values of which fact, and how the values of
one fact compare. Every rule has sentences it must and must not fire on (all written here)."""
import pytest

from articles import compare_texts as run
from articles import findings as verdicts

from reconcile.claims import claim_of
from reconcile.judge.facts import facts_of
from reconcile.judge.values import persons_in, values_of
from reconcile.models import Sentence


def claims(*texts, source="s"):
    return tuple(claim_of(Sentence(source, n, 0, len(t), n + 1, 1, t)) for n, t in enumerate(texts))


def values(*texts, persons=None):
    cs = claims(*texts)
    return values_of(cs, persons if persons is not None else persons_in(list(cs)))


def measures(*texts):
    return [(v.measure, v.label) for v in values(*texts)]


# --- who a figure is of -------------------------------------------------------------------------

@pytest.mark.parametrize("text,surname", [
    ("Mr Halvorsen said the road was closed.", "Halvorsen"),
    ("Inspector Maren Kowal led the search.", "Kowal"),
    ("The 41-year-old Tomas Ferreira was arrested.", "Ferreira"),
    ("Ilse Vantongeren, 29, was named as the driver.", "Vantongeren"),
])
def test_persons_are_named_after_a_title_or_beside_an_age(text, surname):
    assert surname in persons_in(list(claims(text)))


@pytest.mark.parametrize("text", ["The river Dorne flooded the valley.", "Heavy rain hit Lisbon and Porto on Monday.",
                                  "A 38-year-old Velmar resident was arrested."])
def test_places_and_lone_capitals_are_not_persons(text):
    assert not persons_in(list(claims(text)))


def test_an_age_is_of_the_person_it_stands_beside():
    found = values("Ines Marlow, 32, died a day after 51-year-old Piet Sander was hurt.")
    assert {(v.holder, v.low) for v in found if v.measure == "age"} == {("Marlow", 32), ("Sander", 51)}


def test_an_age_of_nobody_named_can_only_agree():
    found = [v for v in values("A 63-year-old woman and two men were shot.") if v.measure == "age"]
    assert [(v.holder, v.weak) for v in found] == [(None, True)]


def test_an_age_of_nobody_named_joins_the_one_person_of_that_age():
    named = values("Ines Marlow, 63, was shot.", "Piet Sander, 41, was hurt.")
    nobody = values("A 63-year-old woman was shot.", persons=frozenset())
    facts = facts_of(list(named) + list(nobody))
    assert sorted(len(f) for f in facts) == [1, 2]


def test_a_figure_is_of_the_person_named_before_it():
    found = values("Mr Sander's fall came a day after 51-year-old Ines Marlow fell 40 metres from a ledge.",
                   persons=frozenset({"Sander", "Marlow"}))
    assert [v.holder for v in found if v.measure.startswith("distance")] == ["Marlow"]


# --- what a figure measures ---------------------------------------------------------------------

def test_a_parent_of_n_counts_children():
    assert ("counted:child", "12") in measures("The court heard how a mother of 12 was shot.")
    assert not [m for m, _ in measures("The court heard how 12 mothers were questioned.") if m == "counted:child"]


def test_a_distance_is_keyed_by_the_word_it_hangs_on():
    fell = measures("He fell about 200 metres down a gully.")
    chased = measures("Police chased him for 30 miles.")
    assert fell[0][0] == "distance:m:fall" and chased[0][0] == "distance:m:chas"
    assert measures("He had fallen 600 feet.")[0][0] == "distance:m:fall"  # irregular verbs meet their base


def test_a_distance_with_no_word_before_it_is_no_fact():
    assert not measures("About 50 miles, officials said.")


def test_plain_counts_of_people_are_not_facts_unless_a_verb_says_what_they_count():
    assert not measures("Two men were seen on the roof.")
    assert measures("Two men were killed on the roof.") == [("killed", "2")]


def test_units_are_converted_to_one_base():
    mph, kmh = values("The car reached 120 mph on the highway."), values("The car reached 193 km/h on the highway.")
    assert mph[0].measure == kmh[0].measure == "speed:km/h"
    assert abs(mph[0].low - 193.1) < 0.1


# --- which event ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["A similar crash on the lake killed 40 people.", "The previous storm killed 12 people.",
                                  "Last year's flood killed 9 people."])
def test_background_figures_belong_to_another_event(text):
    assert [v.era for v in values(text)] == ["background"]


@pytest.mark.parametrize("text", ["The storm killed 12 people.", "A man fired last week killed 2 people on Monday."])
def test_the_events_own_figures_are_not_background(text):
    assert [v.era for v in values(text)] == [""]


# --- subsets ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["Twelve people were treated for injuries at the city's main hospital.",
                                  "Forty were injured, 12 of them seriously.",
                                  "Thirty people were injured, including five who were badly hurt."])
def test_a_part_of_a_count_is_a_subset(text):
    assert any(v.subset for v in values(text))


@pytest.mark.parametrize("text", ["Forty people were hospitalised.", "Twelve people were injured in the blast."])
def test_a_whole_count_is_not_a_subset(text):
    assert not any(v.subset for v in values(text))


# --- slots ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,slot,value", [
    ("The gunman opened fire with a shotgun.", "slot:weapon", "shotgun"),
    ("He was shot with a hunting rifle.", "slot:weapon", "rifle"),
    ("The wounded guard is in critical condition.", "slot:condition", "critical"),
    ("The guard was shot and is in stable condition.", "slot:condition", "stable"),
    ("The driver died at the scene.", "slot:place_of_death", "at the scene"),
    ("She died on the way to the hospital.", "slot:place_of_death", "on the way to hospital"),
])
def test_slot_words(text, slot, value):
    assert (slot, value) in measures(text)


@pytest.mark.parametrize("text", ["Prices stayed stable in March.", "Police found a rifle and a shotgun in the car.",
                                  "The scene was cordoned off.", "He bought a shotgun licence years before."])
def test_no_slot_word_without_its_cue_or_with_two_values(text):
    assert not [m for m, _ in measures(text) if m.startswith("slot:")]


# --- values compared --------------------------------------------------------------------------------------

def test_values_of_one_person_make_one_fact_and_of_two_people_two():
    found = values("Ines Marlow, 32, died after a fall.", "Piet Sander, 51, was hurt.")
    assert len(facts_of(list(found))) == 2


def test_rising_toll_hours_apart_is_one_update_not_a_contradiction():
    report = run("A ferry sank on Lake Orn. Three people died, police said.",
                 "A ferry sank on Lake Orn. Eleven people died, police said.",
                 "A ferry sank on Lake Orn. Twenty people died, police said.",
                 dates={"s1": "2026-01-10T06:00Z", "s2": "2026-01-10T12:00Z", "s3": "2026-01-10T20:00Z"})
    assert not verdicts(report, "contradiction", "numeric")
    assert [f.topic for f in verdicts(report, "update")] == ["death toll"]


def test_undated_tolls_revised_in_words_are_updates():
    report = run("A mine collapsed at Brekka. At least 5 miners were killed, the company said.",
                 "A mine collapsed at Brekka. The toll rose to 9 on Tuesday, the company said.")
    assert not verdicts(report, "contradiction", "numeric")
    assert verdicts(report, "update")


def test_a_subset_is_compatible_with_its_total():
    report = run("An earthquake struck Marvo. Some 40 people were hospitalised, officials said.",
                 "An earthquake struck Marvo. At the city's main hospital, 12 people were treated for injuries.")
    assert not verdicts(report, "contradiction", "numeric")


def test_a_lower_bound_fits_a_larger_figure():
    report = run("Gunfire hit the Orvo depot. At least 12 shots were fired, police said.",
                 "Gunfire hit the Orvo depot. Police said 13 shots were fired.")
    assert not verdicts(report, "contradiction")


def test_two_weapons_contradict_and_the_finding_names_the_pair():
    report = run("A gunman opened fire at the Orvo depot with a rifle, police said.",
                 "A gunman opened fire at the Orvo depot with a shotgun, police said.")
    found = verdicts(report, "contradiction", "slot")
    assert found and found[0].conflicts == ((0, 1),)
    assert dict(found[0].values) == {"s1:0": "rifle", "s2:0": "shotgun"}


def test_ages_told_two_ways_agree():
    report = run("The suspect, 42-year-old Arno Vidmar, was arrested at the Orvo depot.",
                 "Police at the Orvo depot arrested Arno Vidmar, 42, on Friday.")
    assert [f.topic for f in verdicts(report, "agreement") if f.topic.startswith("age")] == ["age (Vidmar)"]


def test_plain_counted_nouns_agree_but_never_contradict():
    report = run("At the Orvo depot two mothers waited outside the gate.",
                 "At the Orvo depot three mothers waited outside the gate.")
    assert not verdicts(report, "contradiction", "numeric")


def test_sums_far_apart_are_different_sums():
    report = run("Thieves took jewels worth $2.6 million from the Orvo store.",
                 "Thieves took jewels from the Orvo store and $2 in cash.")
    assert not verdicts(report, "contradiction", "numeric")


def test_people_among_those_killed_are_a_death_toll_and_others_add_to_them():
    found = values("A young couple expecting their first child was among those killed in the blast.",
                   "Four other people died in the blast.")
    assert [(v.measure, v.label) for v in found] == [("killed", "2"), ("killed", "at least 6")]


def test_people_seen_among_others_are_no_toll():
    assert not values("A young couple was among those watching the parade.")


@pytest.mark.parametrize("text,slot,value", [
    ("Mr Tarvo was well equipped for the climb, police said.", "slot:equipment", "well equipped"),
    ('Police said Mr Tarvo appeared "poorly" equipped for the climb.', "slot:equipment", "ill-equipped"),
    ("Two hikers were found alive on the ridge.", "slot:found", "alive"),
    ("Ansel Brück was found guilty of murder by the jury.", "slot:verdict", "guilty"),
    ("The court acquitted Ansel Brück of all charges.", "slot:verdict", "not guilty"),
])
def test_opposite_words(text, slot, value):
    assert (slot, value) in measures(text)


@pytest.mark.parametrize("text", ["He urged climbers not to go up unprepared.", "The team was equipped with radios.",
                                  "One hiker was found alive and another was found dead."])
def test_no_opposite_word_when_negated_or_absent(text):
    assert not [m for m, _ in measures(text) if m.startswith("slot:")]


def test_a_slot_word_between_two_people_is_of_neither():
    found = values("After Mr Tarvo's fall an ill-equipped climber, 30-year-old Enzo Halme, slipped on the ice.")
    assert [(v.measure, v.holder) for v in found if v.measure.startswith("slot:")] == [("slot:equipment", None)]


def test_well_and_ill_equipped_contradict():
    report = run("Mr Tarvo, 44, was well equipped for the climb on Mount Ostra, police said.",
                 "Police said Mr Tarvo, 44, was poorly equipped for the climb on Mount Ostra.")
    assert [f.topic for f in verdicts(report, "contradiction", "slot")] == ["how well equipped they were (Tarvo)"]


@pytest.mark.parametrize("text", ["One Australian and one English climber fell to their deaths.",
                                  "Four soldiers and two civilians were killed."])
def test_coordinated_counts_are_parts(text):
    assert [v.subset for v in values(text) if v.measure == "killed"] == [True]


@pytest.mark.parametrize("text", ["Four people were killed and 10 injured.", "Four died and two were hurt."])
def test_counts_of_two_things_are_not_parts(text):
    assert not any(v.subset for v in values(text))


@pytest.mark.parametrize("text", ["During the 2001 attack, 2,753 people lost their lives.",
                                  "In 1998 a storm killed 40 people here."])
def test_a_figure_beside_a_year_of_another_event_is_background(text):
    assert all(v.era.startswith("year:") for v in values(text))


def test_a_percentage_is_of_what_it_hangs_on():
    assert measures("Turnout in the city reached 43 percent.")[0][0] == "percent:percent:reach"
    assert not measures("The biggest problem: 43 percent would not prevent it.")


def test_a_count_fits_a_total_it_is_part_of_but_not_one_larger_than_it():
    fits = run("Miners were trapped at Brekka. Rescuers said 20 miners were rescued overnight.",
               "Miners were trapped at Brekka. In all, 26 miners have been rescued from the mine.")
    assert not verdicts(fits, "contradiction", "numeric")
    clash = run("Miners were trapped at Brekka. Rescuers said 31 miners were rescued overnight.",
                "Miners were trapped at Brekka. In all, 26 miners have been rescued from the mine.")
    assert verdicts(clash, "contradiction", "numeric")


@pytest.mark.parametrize("text", ["A magnitude 6.1 earthquake struck before dawn.", "The quake had a magnitude of 6.1.",
                                  "A 6.1-magnitude quake hit the coast."])
def test_a_magnitude_however_written(text):
    assert [(m, float(label.split("-")[0])) for m, label in measures(text)] == [("magnitude", 6.1)]


def test_an_aftershocks_magnitude_is_another_fact():
    assert measures("An aftershock of magnitude 4.8 shook the town.")[0][0] == "magnitude:aftershock"
    assert not [m for m, _ in measures("The team won by 6.1 points.") if m.startswith("magnitude")]


# --- invariants ---------------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from reconcile.judge.facts import _pair_verdict  # noqa: E402
from reconcile.judge.values import Value  # noqa: E402


class _Fake:  # a value's claim only matters for its source and id
    def __init__(self, source):
        self.source_id, self.id = source, f"{source}:0"


_value = st.builds(lambda low, span, subset, scope, rounding, source: Value(
    claims=(_Fake(source),), measure="killed", low=float(low), high=float(low + span), label=str(low),
    subset=subset, scope=scope, rounding=rounding),
    st.integers(0, 20), st.sampled_from([0, 0, 3, float("inf")]), st.booleans(), st.sampled_from(["event", "total"]),
    st.sampled_from([0.0, 0.05]), st.just("a"))


@settings(max_examples=300, deadline=None)
@given(st.lists(_value, min_size=1, max_size=3), st.lists(_value, min_size=1, max_size=3))
def test_whether_two_sources_conflict_does_not_hang_on_their_order(mine, theirs):
    theirs = [Value(**{**v.__dict__, "claims": (_Fake("b"),)}) for v in theirs]
    forward, backward = _pair_verdict(mine, theirs, {}), _pair_verdict(theirs, mine, {})
    assert (forward is None) == (backward is None)
    assert forward is None or forward[0] == backward[0]


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 50), st.integers(0, 50))
def test_exact_counts_conflict_exactly_when_they_differ(a, b):
    one = [Value(claims=(_Fake("a"),), measure="killed", low=float(a), high=float(a), label=str(a))]
    other = [Value(claims=(_Fake("b"),), measure="killed", low=float(b), high=float(b), label=str(b))]
    assert (_pair_verdict(one, other, {})[0] == "conflict") == (a != b)


def test_petty_sums_agree_but_never_contradict():
    assert [v.weak for v in values("Each ticket cost $2 at the gate.")] == [True]
    assert [v.weak for v in values("Thieves took jewels worth $2.6 million.")] == [False]


def test_a_toll_is_the_events_whoever_the_sentence_names():
    lead = "An avalanche buried a ski party on Mount Ostra on Friday. "
    report = run(lead + "Six people were killed in the avalanche, including Mr Tarvo.",
                 lead + "Four people were killed in the avalanche, among them Mr Halme.",
                 lead + "Five people were killed in the avalanche.")
    found = verdicts(report, "contradiction", "numeric")
    assert [f.topic for f in found] == ["death toll"]


def test_two_people_of_one_age_stay_two_people():
    lead = "Enzo Halme and Ari Tarvo, both 36, went climbing on Mount Ostra. "
    report = run(lead + "Mr Tarvo, 36, fell 150 metres into a crevasse.",
                 lead + "Mr Halme, 36, fell 300 metres down a gully.")
    assert not verdicts(report, "contradiction", "numeric")


def test_other_people_in_the_same_sentence_add_up():
    report = run("A bus crashed on the Orvo road. Four people were killed at the scene and five other people died later in hospital.",
                 "A bus crashed on the Orvo road. Nine people were killed in the crash.")
    assert not verdicts(report, "contradiction", "numeric")


def test_two_facts_told_in_the_same_sentences_are_two_findings_with_two_ids():
    text = "A bus crashed on the Orvo road. Four people were killed and 10 were injured, police said."
    report = run(text, text)
    agreed = [f for f in verdicts(report, "agreement") if f.values]
    assert sorted(f.topic for f in agreed) == ["death toll", "injuries"]
    assert len({f.id for f in report.findings}) == len(report.findings)


def test_a_count_of_children_is_named_in_the_plural():
    report = run("Ines Marlow, a mother of 12, was shot on Pitt Street.", "Ines Marlow, a mother of 13, was shot on Pitt Street.")
    assert [f.topic for f in verdicts(report, "contradiction", "numeric")] == ["number of children"]


def _falls(fact):
    return sorted((v.source_id, v.label) for v in fact)


def test_of_two_people_an_unnamed_fall_is_the_other_ones_when_its_source_gives_the_first_another():
    persons = frozenset({"Marlow", "Sander"})
    a = values_of(claims("Ines Marlow fell 40 metres from a ledge.", "Piet Sander fell 300 metres on Sunday.", source="a"),
                  persons)
    b = values_of(claims("Ines Marlow fell 40 metres from a ledge.", "A second climber fell about 290 metres.", source="b"),
                  persons)
    falls = [f for f in facts_of(list(a) + list(b)) if f[0].measure.startswith("distance")]
    assert sorted(_falls(f) for f in falls) == [[("a", "300 metres"), ("b", "about 290 metres")],
                                                [("a", "40 metres"), ("b", "40 metres")]]


def test_an_unnamed_value_stays_out_when_its_source_gives_no_one_else_a_value_or_the_same_one():
    persons = frozenset({"Marlow", "Sander"})
    a = values_of(claims("Ines Marlow fell 40 metres.", "Piet Sander fell 300 metres.", source="a"), persons)
    b = values_of(claims("A climber fell 120 metres.", source="b"), persons)
    c = values_of(claims("Ines Marlow fell 40 metres.", "A climber fell 40 metres.", source="c"), persons)
    falls = [f for f in facts_of(list(a) + list(b) + list(c)) if f[0].measure.startswith("distance")]
    assert sorted(_falls(f) for f in falls) == [[("a", "300 metres")], [("a", "40 metres"), ("c", "40 metres")]]


@pytest.mark.parametrize("a,b,clash", [
    ("The climber fell 700 metres.", "The climber fell about 600 metres.", True),
    ("The climber fell 640 metres.", "The climber fell about 600 metres.", False),
    ("The climber fell 700 metres.", "The climber fell 690 metres.", False),  # an exact figure may be rounded
])
def test_an_about_figure_has_its_own_width_and_no_rounding_on_top(a, b, clash):
    report = run(a, b)
    assert bool(verdicts(report, "contradiction", "numeric")) is clash


@pytest.mark.parametrize("told,verdict", [
    ("A second victim died in hospital on Tuesday, police said.", "agreement"),  # the toll is at least two
    ("A third victim died in hospital on Tuesday, police said.", "update"),  # one more than two: it rose
])
def test_one_more_with_no_figure_before_it_is_a_place_in_the_toll_not_a_toll_of_one(told, verdict):
    report = run("A gas blast hit a flat in Orlen on Monday. Two people died, police said.",
                 "A gas blast hit a flat in Orlen on Monday. " + told)
    tolls = [f for f in report.findings if f.topic == "death toll"]
    assert [f.verdict for f in tolls] == [verdict]


def test_one_more_after_a_figure_of_another_kind_counts_one():
    report = run("A gunman in Orlen killed two guards and wounded a third.",
                 "A gunman in Orlen killed two guards and wounded two others.")
    injured = [f for f in report.findings if f.topic == "injuries"]
    assert [f.verdict for f in injured] == ["contradiction"] and "1 (s1) · 2 (s2)" in injured[0].summary
