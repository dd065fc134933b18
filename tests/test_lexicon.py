"""The packaged word lists load, hold only strings, and can be extended by a user's config."""
import pytest

from reconcile.errors import ConfigError
from reconcile.lexicon import DEFAULT, LEXICON_FILES, Lexicon


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
