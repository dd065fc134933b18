"""support/screen.py: the literal screen that rules run behind.

The one promise: where a rule's pattern matches a text, the screen says the rule may. The
needles are declared in reconcile/data (stance rules, furniture markers) or are the words of the
lists a pattern is built from (speaker patterns, furniture `ends`); the tests check each rule's
needles against its pattern on its examples, every line of the fixtures, and made-up texts.
"""
import importlib
import re
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reconcile.claims.text import normalise
from reconcile.clean.furniture import LineRule
from reconcile.clean.furniture import rules as furniture_rules
from reconcile.support.lexicon import DEFAULT, Lexicon
from reconcile.support.screen import Screen, fold

from conftest import FIXTURES

stance_module = importlib.import_module("reconcile.claims.stance")  # the package exports a function of that name
GROUPS = ("denial", "negation", "uncertain", "hedged", "rumour", "affirmation")


def test_fold_maps_every_character_re_i_equates_with_an_ascii_letter():
    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    for letter in string.ascii_lowercase:
        for pattern in (letter, letter.upper(), f"[{letter}]"):
            for char in re.findall("(?i)" + pattern, everything):
                assert fold(char) == letter, (pattern, char)
    assert fold("Dİ ſaıd") == "di said"


def test_a_rule_without_needles_is_always_a_candidate():
    screen = Screen([None, ["not"], ["DENIAL"], []])
    assert screen.candidates("nothing here") == {0, 1, 3}
    assert screen.candidates("zzz") == {0, 3}
    assert screen.candidates("A DenİaL") == {0, 2, 3}
    assert screen.any("zzz")


def test_overlapping_needles_are_all_found():
    screen = Screen([["abc"], ["cde"], ["bcd"], ["ab"]])
    assert screen.candidates("xabcdex") == {0, 1, 2, 3}
    assert screen.candidates("abzcde") == {1, 3}
    assert not Screen([["abc"]]).any("ab c") and Screen([["abc"]]).any("xxABCxx")
    assert Screen([]).candidates("anything") == frozenset() and not Screen([]).any("anything")


def test_every_packaged_stance_rule_and_marker_declares_needles():
    """A packaged rule without needles would run on every sentence: declare them beside its pattern."""
    for group in GROUPS:
        for rule in DEFAULT.get("stance")[group]:
            assert rule.get("needles"), rule["id"]
    for name, spec in DEFAULT.get("furniture")["rules"].items():
        if spec.get("type") == "marker":
            assert spec.get("needles"), name


def test_a_users_rule_without_needles_is_searched_everywhere():
    extra = Lexicon().extended({"stance": {"hedged": [{"id": "hedge.mine", "pattern": r"\bperchance\b"}]}})
    assert "hedge.mine" in stance_module.stance("Perchance it rained.", "perchance it rained.", extra).rules


def _rules():
    """(name, pattern, screen, index): every screened pattern of the packaged lexicon."""
    out = []
    ruleset = stance_module._rules(DEFAULT)
    for group in ruleset.groups.values():
        for rule in group:
            out.append((rule.id, rule.regex, ruleset.screen, rule.index))
    speaker_screen, _ = stance_module._speaker_screen(DEFAULT)
    for i, pattern in enumerate(stance_module._speaker_patterns(DEFAULT)):
        out.append((f"speaker {i}", pattern, speaker_screen, i))
    furniture = furniture_rules(DEFAULT)
    for i, marker in enumerate(furniture.markers):
        for pattern in marker.patterns:
            out.append((marker.id, pattern, furniture.marker_screen, i))
    for rule in furniture.whole_line:
        if isinstance(rule, LineRule) and rule.ends is not None:
            out.append((rule.id + " ends", rule.ends, rule.ends_screen, 0))
    return out


def _corpus() -> list[str]:
    texts = []
    for group in GROUPS:
        for rule in DEFAULT.get("stance")[group]:
            texts += rule.get("must", []) + rule.get("must_not", [])
    for path in sorted(FIXTURES.rglob("*")):
        if path.suffix in (".txt", ".md", ".html", ".htm") and path.is_file():
            texts += path.read_text(encoding="utf-8", errors="replace").splitlines()
    return texts


CORPUS = _corpus()


def test_the_fixtures_give_the_screens_something_to_check():
    fired = {name for name, pattern, _, _ in _rules() if any(pattern.search(t) or pattern.search(normalise(t))
                                                             for t in CORPUS)}
    assert len(fired) >= 15, fired


@pytest.mark.parametrize("name,pattern,screen,index", _rules(), ids=lambda v: v if isinstance(v, str) else "")
def test_a_pattern_that_matches_a_fixture_line_is_a_candidate(name, pattern, screen, index):
    for text in CORPUS:
        for variant in (text, normalise(text)):
            if pattern.search(variant):
                assert index in screen.candidates(variant), (name, variant)


def _alphabet():
    words = set()
    for group in GROUPS:
        for rule in DEFAULT.get("stance")[group]:
            words.update(rule["needles"] + rule["must"] + rule["must_not"])
    attribution = DEFAULT.get("stance")["attribution"]
    words.update(map(str, attribution["verbs"] + attribution["agencies"]))
    return sorted(words) + [" ", "  ", ".", ",", "'", '"', "(", ")", "/", ":", "{{", "}}", "Police", "Reuters", "said",
                            "the", "to", "of", "PHOTO", "Getty Images", "(AP Photo/Jane Doe)", "\u0130", "\u017f",
                            "According to", "was", "not", "been", "by"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_alphabet()), max_size=12), st.booleans())
def test_a_pattern_that_matches_a_made_up_text_is_a_candidate(parts, lower):
    text = " ".join(parts)
    text = text.lower() if lower else text
    for name, pattern, screen, index in _rules():
        if pattern.search(text):
            assert index in screen.candidates(text), (name, text)
