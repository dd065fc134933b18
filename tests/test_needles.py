"""needles.py: the strings a regex's matches must contain, and the screen built from them.

The one promise: where a pattern matches, its screen says it may. Tests check the derived
strings on small patterns, then the promise on every stance and speaker pattern for texts made
of their own needles and examples.
"""
import importlib
import re
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reconcile.clean.furniture import LineRule
from reconcile.clean.furniture import rules as furniture_rules
from reconcile.support.lexicon import DEFAULT
from reconcile.needles import Screen, fold, needles, screen

stance_module = importlib.import_module("reconcile.claims.stance")  # the package exports a function of that name


@pytest.mark.parametrize("pattern,expected", [
    (r"\bdenials?\b", {"denial"}),
    (r"den(?:y|ies|ied)", {"deny", "denies", "denied"}),
    (r"\b(?:hoax|fake[ds]?)\b", {"hoax", "fake"}),
    (r"not\s+(?:true|real)", {"true", "real"}),  # the longer strings of the two runs
    (r"(?:is|was)\s+believed\s+to", {"believed"}),
    (r"x{2,}", {"x"}),
    (r"(?=.*alpha)\w+", {"alpha"}),
    (r"a[bc]d", {"abd", "acd"}),
    (r"[^x]yz|q", {"yz", "q"}),  # a negated class is no needle, the run after it is
])
def test_needles_of_small_patterns(pattern, expected):
    assert needles(re.compile(pattern)) == frozenset((s, False) for s in expected)


@pytest.mark.parametrize("pattern,expected", [
    (r"(?i)denial", {"denial"}),
    (r"(?i:Getty\s+Images)$", {"images"}),
    (r"(?i)dénial", {"nial"}),  # beyond ASCII nothing is known under re.I
    (r"(?i)/afp|/AP", {"/afp", "/ap"}),
])
def test_case_insensitive_needles_are_folded(pattern, expected):
    assert needles(re.compile(pattern)) == frozenset((s, True) for s in expected)


def test_fold_maps_every_character_re_i_equates_with_an_ascii_letter():
    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    for letter in string.ascii_lowercase:
        for pattern in (letter, letter.upper(), f"[{letter}]", f"[{letter}-{letter}]"):
            for char in re.findall("(?i)" + pattern, everything):
                assert fold(char) == letter, (pattern, char)
    assert fold("Dİ ſaıd") == "di said"


@pytest.mark.parametrize("pattern", [
    r"",  # matches everywhere
    r"(?:foo)?",  # can match the empty string
    r"\w+",  # no literal at all
    r"(?i)é",  # case-insensitive beyond ASCII
    r"(?<=abc)\w",  # a lookbehind may see before where a search starts
    r"\w+|bar",  # one alternative without a needle: the whole has none
])
def test_no_needles_when_none_can_be_derived(pattern):
    assert needles(re.compile(pattern)) is None


def test_a_screen_without_needles_always_says_maybe():
    screen = Screen([re.compile(r"\w+"), re.compile(r"\bnot\b"), re.compile(r"(?i)DENIAL")])
    assert screen.candidates("nothing here") == {0, 1}
    assert screen.candidates("zzz") == {0}
    assert screen.candidates("A DenİaL") == {0, 2}


def test_one_pattern_screen():
    ends = screen(re.compile(r"(?i)(?:/getty\s+images|all\s+rights\s+reserved)\W*\Z"))
    assert ends("Photo: X/GETTY IMAGES") and ends("All rights reserved.")
    assert not ends("The storm hit the coast.")
    assert screen(re.compile(r"\w+")) is None


def test_overlapping_needles_are_all_found():
    screen = Screen([re.compile("abc"), re.compile("cde"), re.compile("bcd"), re.compile("ab")])
    assert screen.candidates("xabcdex") == {0, 1, 2, 3}
    assert screen.candidates("abzcde") == {1, 3}


def _all_patterns():
    rules = stance_module._rules(DEFAULT)
    speaker = stance_module._speaker_patterns(DEFAULT)
    furniture = furniture_rules(DEFAULT)
    lines = [rule for rule in furniture.whole_line if isinstance(rule, LineRule)]
    return ([r.regex for group in rules.groups.values() for r in group] + list(speaker)
            + [p for marker in furniture.markers for p in marker.patterns]
            + [rule.ends for rule in lines if rule.ends is not None] + [p for rule in lines for p in rule.patterns])


def _alphabet():
    words = set()
    for pattern in _all_patterns():
        words |= {s for s, _ in needles(pattern) or ()}
    for group in ("denial", "negation", "uncertain", "hedged", "rumour"):
        for rule in DEFAULT.get("stance")[group]:
            words.update(rule["must"] + rule["must_not"])
    return sorted(words) + [" ", "  ", ".", ",", "'", '"', "(", ")", "/", ":", "{{", "}}", "Police", "Reuters", "said",
                            "the", "to", "of", "PHOTO", "Getty Images", "(AP Photo/Jane Doe)", "\u0130", "\u017f"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_alphabet()), max_size=12), st.booleans())
def test_a_pattern_that_matches_is_always_a_candidate(parts, lower):
    text = " ".join(parts)
    text = text.lower() if lower else text
    patterns = _all_patterns()
    candidates = Screen(patterns).candidates(text)
    for i, pattern in enumerate(patterns):
        if pattern.search(text):
            assert i in candidates, (pattern.pattern[:60], text)
