"""The packaged word lists load, hold only strings, and can be extended by a user's config."""
import pytest

from reconcile.errors import ConfigError
from reconcile.support.lexicon import DEFAULT, LEXICON_FILES, Lexicon


def _list_items(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _list_items(item)
    elif isinstance(value, list):
        for item in value:
            yield from _list_items(item) if isinstance(item, (dict, list)) else [item]


@pytest.mark.parametrize("name", LEXICON_FILES)
def test_word_lists_hold_no_yaml_booleans(name):
    # YAML 1.1 reads a bare no, on, off or yes as a boolean: a stop word "no" would vanish.
    assert not [leaf for leaf in _list_items(DEFAULT.get(name)) if isinstance(leaf, bool)]


def test_user_extension_adds_to_a_list_and_keeps_the_packaged_entries():
    extended = DEFAULT.extended({"words": {"stance_words": ["canard"]}})
    assert "canard" in extended.get("words")["stance_words"]
    assert set(DEFAULT.get("words")["stance_words"]) < set(extended.get("words")["stance_words"])
    assert "canard" not in DEFAULT.get("words")["stance_words"]


def test_unknown_section_is_a_config_error():
    with pytest.raises(ConfigError, match="unknown lexicon section"):
        Lexicon().extended({"colours": {}})


def test_wrong_type_is_a_config_error():
    with pytest.raises(ConfigError, match="expected a list"):
        DEFAULT.extended({"words": {"stopwords": "the"}}).get("words")


# words.yaml: each list has sentences that must and must not fire it --------------------------

from reconcile.claims import claim_of  # noqa: E402
from reconcile.claims.text import names  # noqa: E402
from reconcile.judge.figures import scope_of  # noqa: E402
from reconcile.models import Sentence  # noqa: E402

TOPIC_EXAMPLES = {
    "killed": ("It is unclear whether anyone died in the blast.", "It is unclear whether the bridge will reopen."),
    "injured": ("There was no word on how many were wounded.", "There was no word on the cost."),
    "missing": ("It is not known how many people remain unaccounted for.", "It is not known when the port opens."),
    "arrested": ("Police would not say whether arrests were made.", "Police would not say where they went."),
    "evacuated": ("It is unclear how many were evacuated from the valley.", "It is unclear when the valley road reopens."),
    "displaced": ("Officials could not say how many were displaced.", "Officials could not say how much rain fell."),
    "rescued": ("It was unclear whether anyone had been rescued.", "It was unclear whether the pier had collapsed."),
}


def test_a_lone_death_is_one_persons_not_a_toll():
    assert "killed" not in claim("Officials could not confirm the commander's death.").categories


def claim(text):
    return claim_of(Sentence("s", 0, 0, len(text), 1, 1, text))


def test_every_topic_cue_category_has_examples():
    assert set(DEFAULT.get("words")["topic_cues"]) == set(TOPIC_EXAMPLES)


@pytest.mark.parametrize("category", sorted(TOPIC_EXAMPLES))
def test_topic_cues(category):
    must, must_not = TOPIC_EXAMPLES[category]
    assert category in claim(must).categories
    assert category not in claim(must_not).categories


@pytest.mark.parametrize("text,scope", [
    ("Officials said 310 people have been killed nationwide since the war began.", "total"),
    ("The toll so far stands at 40.", "total"),
    ("Four people were killed in Velmar on Monday.", "event"),
])
def test_scope_words(text, scope):
    assert scope_of(claim(text)) == scope


@pytest.mark.parametrize("text,place", [
    ("The Iranian-made drones struck at dawn.", "iran"),
    ("The Kremlin rejected the claim.", "russia"),
    ("Russian troops withdrew.", "russia"),
])
def test_demonyms_map_to_places(text, place):
    assert place in names(text)


def test_demonyms_do_not_invent_places():
    assert names("The drones struck at dawn.") == ()


def test_stance_words_are_left_out_of_a_story():
    from reconcile.judge.stories import story_words

    assert "hoax" not in story_words(claim("The story about the priest is a hoax."))
    assert "priest" in story_words(claim("The story about the priest is a hoax."))
