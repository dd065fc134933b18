"""Every stance rule in reconcile/data/stance.yaml fires on its `must` examples and not on its `must_not` ones."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reconcile.claims.stance import quote_of, speaker_of, stance
from reconcile.claims.text import normalise
from reconcile.support.lexicon import DEFAULT

GROUPS = ("denial", "negation", "uncertain", "hedged", "rumour", "affirmation")
RULES = [(group, rule) for group in GROUPS for rule in DEFAULT.get("stance")[group]]


def fired(sentence):
    return stance(sentence, normalise(sentence)).rules


def test_every_rule_has_examples_both_ways():
    for group, rule in RULES:
        assert rule.get("must"), f"{rule['id']} has no example that must trigger it"
        assert rule.get("must_not"), f"{rule['id']} has no example that must not trigger it"


@pytest.mark.parametrize("rule,sentence", [(r["id"], s) for _, r in RULES for s in r["must"]])
def test_rule_triggers(rule, sentence):
    assert rule in fired(sentence)


@pytest.mark.parametrize("rule,sentence", [(r["id"], s) for _, r in RULES for s in r["must_not"]])
def test_rule_does_not_trigger(rule, sentence):
    assert rule not in fired(sentence)


@pytest.mark.parametrize("sentence,polarity,modality", [
    ("Iran has since repeated its denial on Monday.", "denied", "asserted"),
    ("The drones are believed to be Iranian-made.", "affirmed", "hedged"),
    ("It is unclear whether the strike caused any casualties.", "affirmed", "uncertain"),
    ("Four people died and 18 were injured.", "affirmed", "asserted"),
    ("Reports circulated that the singer had died.", "affirmed", "rumour"),
    ("Officials said the report of a second blast was false.", "denied", "asserted"),
    # a debunking word turned round vouches for the story; one left standing still debunks it
    ("He insists the story is not made up.", "affirmed", "asserted"),
    ("The footage was not faked in any way, he said.", "affirmed", "asserted"),
    ("Police said the video was a hoax, not a prank.", "denied", "asserted"),
    ("This is not just a hoax, it is a scam.", "denied", "asserted"),
])
def test_polarity_and_modality(sentence, polarity, modality):
    result = stance(sentence, normalise(sentence))
    assert (result.polarity, result.modality) == (polarity, modality)


def test_negation_counts_inside_and_outside_quotations_alike():
    # Outlets cut quotations differently; stripping quoted text made paraphrases disagree.
    quoted = 'The mayor said "we will not give up" after the storm.'
    unquoted = "The mayor said we will not give up after the storm."
    assert stance(quoted, normalise(quoted)).polarity == stance(unquoted, normalise(unquoted)).polarity == "negated"


@pytest.mark.parametrize("sentence,speaker", [
    ("The Brenmark consulate in Velmar called the raid a provocation.", "The Brenmark consulate in Velmar"),
    ("Residents of Saltmere said the water rose in minutes.", "Residents of Saltmere"),
    ("Police held 8 men over the blast, though Arelia has denied any role.", None),
    ("Much of the land Vossberg claimed to own is now a park.", None),
    ("Police said, though, that the search would go on.", "Police"),
    ("The city's mayor, Vitali Klitschko, said the attack was terrorism.", "Vitali Klitschko"),
    ("According to Reuters, the plant was hit twice.", "Reuters"),
    ("Police said two men were arrested.", "Police"),
    ("The toll is six, Health Minister Anna Berg told reporters.", "Health Minister Anna Berg"),
    ("The building collapsed on Monday.", None),
    ("Representative Jan Horak (R-OH) told Fox News that ten fighters were caught.", "Representative Jan Horak"),
    ("The man told Lin the money would go to food.", None),
])
def test_speaker(sentence, speaker):
    assert speaker_of(sentence) == speaker


def test_quote_needs_three_words():
    assert quote_of(normalise('He called them "terrorists" twice.')) is None
    assert quote_of(normalise('He said "everything here is terrorism" on Monday.')) == "everything here is terrorism"


_AGENCY_WORDS = ["police", "POLICE", "Officials", "the ministry", "\u017ftate media", "\u212aremlin aides", "Ärzte",
                 "ärzte", "(un) monitors", "x", "said", "the", "Mayor Ana Bell"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_AGENCY_WORDS + ["said", "told", "on Monday", ",", "(AP)", "  ", "bellpolice"]),
                max_size=12))
def test_the_agency_start_screen_never_changes_a_match(words):
    """The leading class of "<agency> said" only skips positions where no agency can start,
    whatever the agencies (a user's config: capitals, letters beyond ASCII, brackets)."""
    import re

    from reconcile.claims.stance import _speaker_patterns

    lexicon = DEFAULT.extended({"stance": {"attribution": {"agencies": ["Ärzte", "(UN) monitors", "Kremlin aides"]}}})
    for lex in (DEFAULT, lexicon):
        screened = _speaker_patterns(lex)[2]
        assert screened.pattern.startswith("(?=(?i:[")
        plain = re.compile(screened.pattern[screened.pattern.index("]))") + 3:])
        text = " ".join(words)
        found, expected = screened.search(text), plain.search(text)
        assert (found and found.span()) == (expected and expected.span())
