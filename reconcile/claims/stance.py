"""How a sentence stands towards what it says: polarity, modality, speaker, quotation."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ..lexicon import DEFAULT, Lexicon, words_alternation

_QUOTE = re.compile(r'"([^"]{3,600})"')


@dataclass(frozen=True)
class Rule:
    id: str
    regex: re.Pattern


@dataclass(frozen=True)
class Stance:
    polarity: str  # affirmed | negated | denied
    modality: str  # asserted | hedged | uncertain | rumour
    speaker: str | None
    quote: str | None
    rules: tuple[str, ...]


@functools.lru_cache(maxsize=8)
def _rules(lexicon: Lexicon) -> dict[str, tuple[Rule, ...]]:
    data = lexicon.get("stance")
    return {
        group: tuple(Rule(entry["id"], _lower_case_pattern(entry["pattern"])) for entry in data.get(group, []))
        for group in ("denial", "negation", "uncertain", "hedged", "rumour")
    }


def _lower_case_pattern(pattern: str) -> re.Pattern:
    """Rules run on the normalised, lower-case sentence: a pattern written in lower case needs no
    re.I, which would make every search twice as slow. One with capitals (from a user's config)
    still gets it."""
    return re.compile(pattern, re.I if re.search(r"(?<!\\)[A-Z]", pattern) else 0)


@functools.lru_cache(maxsize=8)
def _speaker_patterns(lexicon: Lexicon) -> tuple[re.Pattern, ...]:
    data = lexicon.get("stance")["attribution"]
    verbs = words_alternation(data["verbs"])
    # After "told", "called" or "described" comes the listener or the thing named, not the speaker.
    inverted = words_alternation([v for v in data["verbs"] if v not in data.get("object_verbs", [])])
    agencies = words_alternation(data["agencies"])
    # The lookbehind keeps a name from starting inside a word ("eBay" is not "Bay"), which also
    # stops the search from retrying at every letter of a long capitalised token.
    name = r"(?:(?<![\w'\-.])[A-Z][\w'\-.]*(?:\s+(?:of\s+|the\s+)?[A-Z][\w'\-.]*){0,5})"
    who = rf"(?P<who>{name}|(?i:{agencies}))"
    return (
        re.compile(rf"\b(?i:according\s+to)\s+(?:the\s+)?{who}"),
        re.compile(rf"{who}(?:\s*\([^()]{{1,20}}\))?(?:,[^,]{{1,80}},)?,?\s+(?:has\s+|have\s+|had\s+)?(?:{verbs})\b"),
        re.compile(rf"\b(?:{inverted})\s+{who}"),
    )


@functools.lru_cache(maxsize=8)
def _attribution_word(lexicon: Lexicon) -> re.Pattern:
    verbs = words_alternation(lexicon.get("stance")["attribution"]["verbs"])
    return re.compile(rf"\b(?:{verbs}|according\s+to)\b", re.I)


def _fired(rules: tuple[Rule, ...], norm: str) -> tuple[str, ...]:
    return tuple(rule.id for rule in rules if rule.regex.search(norm))


def speaker_of(text: str, lexicon: Lexicon = DEFAULT) -> str | None:
    """The person or body the sentence attributes its content to, if it names one."""
    if not _attribution_word(lexicon).search(text):  # most sentences: no attribution, no name search
        return None
    for pattern in _speaker_patterns(lexicon):
        match = pattern.search(text)
        if match:
            who = match.group("who").strip(" .,")
            if who and who.split()[0] not in ("It", "This", "That", "There", "The", "A", "He", "She", "They", "We", "I"):
                return who
            if who and who.split()[0] == "The" and len(who.split()) > 1:
                return who
    return None


def quote_of(norm: str) -> str | None:
    """The longest quotation of three words or more in a normalised sentence."""
    quotes = [q.strip() for q in _QUOTE.findall(norm) if len(q.split()) >= 3]
    return max(quotes, key=len) if quotes else None


def stance(text: str, norm: str, lexicon: Lexicon = DEFAULT) -> Stance:
    """Classify one sentence; `norm` is its normalised form (see text.normalise)."""
    rules = _rules(lexicon)
    unquoted = _QUOTE.sub(" ", norm)
    fired_denial = _fired(rules["denial"], norm)
    fired_negation = _fired(rules["negation"], norm)
    fired_uncertain = _fired(rules["uncertain"], norm)
    fired_hedged = _fired(rules["hedged"], unquoted)
    fired_rumour = _fired(rules["rumour"], norm)
    polarity = "denied" if fired_denial else "negated" if fired_negation else "affirmed"
    if fired_uncertain:
        modality = "uncertain"
    elif fired_rumour and not fired_denial:
        modality = "rumour"
    elif fired_hedged:
        modality = "hedged"
    else:
        modality = "asserted"
    return Stance(
        polarity=polarity,
        modality=modality,
        speaker=speaker_of(text, lexicon),
        quote=quote_of(norm),
        rules=fired_denial + fired_negation + fired_uncertain + fired_hedged + fired_rumour,
    )
