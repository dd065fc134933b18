"""How a sentence stands towards what it says: polarity, modality, speaker, quotation."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ..support.lexicon import DEFAULT, Lexicon, words_alternation
from ..support.screen import Screen, longest_words

_QUOTE = re.compile(r'"([^"]{3,600})"')


@dataclass(frozen=True)
class Rule:
    id: str
    regex: re.Pattern
    index: int = 0  # its place in _RuleSet.screen


@dataclass(frozen=True)
class _RuleSet:
    groups: dict[str, tuple[Rule, ...]]
    screen: Screen  # which rules can fire on a sentence, read in one pass: most cannot


@dataclass(frozen=True)
class Stance:
    polarity: str  # affirmed | negated | denied
    modality: str  # asserted | hedged | uncertain | rumour
    speaker: str | None
    quote: str | None
    rules: tuple[str, ...]


# The denials an affirmation overrides: a debunking word that a negation turns round.
_NEGATABLE_DENIALS = frozenset({"denial.false"})
_GROUPS = ("denial", "negation", "uncertain", "hedged", "rumour", "affirmation")


@functools.lru_cache(maxsize=8)
def _rules(lexicon: Lexicon) -> _RuleSet:
    data = lexicon.get("stance")
    entries = [(group, entry) for group in _GROUPS for entry in data.get(group, [])]
    rules = [Rule(entry["id"], _lower_case_pattern(entry["pattern"]), i) for i, (_, entry) in enumerate(entries)]
    groups = {group: tuple(r for r, (g, _) in zip(rules, entries) if g == group) for group in _GROUPS}
    return _RuleSet(groups, Screen([entry.get("needles") for _, entry in entries]))


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
    # "claimed to annex", "said to be": a verb with an infinitive after it reports no speech.
    said = rf"(?:\s*\([^()]{{1,20}}\))?(?:,[^,]{{1,80}},)?,?\s+(?:has\s+|have\s+|had\s+)?(?:{verbs})\b(?!\s+to\s+(?!reporters\b|journalists\b)[a-z])"
    # Where no agency can start, one character class says so: the case-insensitive alternation
    # tried at every position costs a search of the sentence three times that.
    firsts = {str(agency)[:1] for agency in data["agencies"]}
    agency_start = f"(?=(?i:[{''.join(map(re.escape, sorted(firsts)))}]))" \
        if firsts and all(f and not f.isspace() for f in firsts) else ""
    return (
        re.compile(rf"\b(?i:according\s+to)\s+(?:the\s+)?{who}"),
        # "<who> said", searched as its two alternatives: the case-insensitive agencies, tried at
        # every position, cost five times the rest and need one of their words, which most
        # sentences lack. The leftmost match of the two, the name on a tie, is the match of
        # rf"{who}{said}".
        re.compile(rf"(?P<who>{name}){said}"),
        re.compile(rf"{agency_start}(?P<who>(?i:{agencies})){said}"),
        re.compile(rf"\b(?:{inverted})\s+{who}"),
    )


# Which of _speaker_patterns are tried in turn: the first group with a match names the speaker;
# within a group the leftmost match wins, the earlier pattern on a tie.
_SPEAKER_GROUPS = ((0,), (1, 2), (3,))


@functools.lru_cache(maxsize=8)
def _attribution_word(lexicon: Lexicon) -> re.Pattern:
    verbs = words_alternation(lexicon.get("stance")["attribution"]["verbs"])
    return re.compile(rf"\b(?:{verbs}|according\s+to)\b", re.I)


def _all_turned_round(rules: dict, norm: str) -> bool:
    """Whether every debunking word the negatable denials find lies inside an affirmation's match."""
    turned = [m.span() for rule in rules["affirmation"] for m in rule.regex.finditer(norm)]
    return all(any(start <= m.start() and m.end() <= end for start, end in turned)
               for rule in rules["denial"] if rule.id in _NEGATABLE_DENIALS for m in rule.regex.finditer(norm))


def _fired(rules: tuple[Rule, ...], candidates: frozenset[int], norm: str) -> tuple[str, ...]:
    return tuple(rule.id for rule in rules if rule.index in candidates and rule.regex.search(norm))


@functools.lru_cache(maxsize=8)
def _speaker_screen(lexicon: Lexicon) -> tuple[Screen, bool]:
    """Which speaker patterns can match a sentence, and whether a match of any of them implies
    an attribution word. It does when every verb starts and ends with a word character: each
    pattern has the verb (or "according to") between white space or word boundaries. Then the
    attribution-word search, slow for being case-insensitive, tells nothing the screen does not."""
    data = lexicon.get("stance")["attribution"]
    verbs = [str(v) for v in data["verbs"]]
    implied = all(re.fullmatch(r"\w(?:.*\w)?", v, re.S) for v in verbs)
    # Each pattern's match holds a word of the list it is built from (a phrase's words are
    # joined by any white space, so each word on its own).
    inverted = [v for v in verbs if v not in data.get("object_verbs", [])]
    return Screen([["according"], _words(verbs), _words(data["agencies"]), _words(inverted)]), implied


def _words(phrases) -> list[str] | None:
    """The longest word of each phrase: a needle of the phrase's matches (None where a phrase has none)."""
    words = longest_words(phrases)
    return words if words and all(words) else None


def speaker_of(text: str, lexicon: Lexicon = DEFAULT) -> str | None:
    """The person or body the sentence attributes its content to, if it names one."""
    screen, implied = _speaker_screen(lexicon)
    candidates = screen.candidates(text)
    if not candidates:
        return None
    if not implied and not _attribution_word(lexicon).search(text):
        return None
    patterns = _speaker_patterns(lexicon)
    for group in _SPEAKER_GROUPS:
        matches = [m for m in (patterns[i].search(text) for i in group if i in candidates) if m]
        match = min(matches, key=lambda m: m.start()) if matches else None  # min keeps the first of equals
        if match and _CONCEDED.search(text[:match.start("who")]):
            continue  # "..., though Ukraine has denied any role": Ukraine speaks for that clause alone
        if match:
            who = _owner(text[:match.start("who")]) + match.group("who").strip(" .,")
            if who and who.split()[0] not in ("It", "This", "That", "There", "The", "A", "He", "She", "They", "We", "I"):
                return who
            if who and who.split()[0] == "The" and len(who.split()) > 1:
                return who
    return None


# A speaker named after a clause that concedes ("though", "while") speaks for that clause only.
_CONCEDED = re.compile(r"[,;]\s*(?:though|although|even though|while|whereas|but)\s+(?:\w+\s+){0,2}$")
# "The US embassy in Kyiv called ...": the embassy speaks, not the place after "in".
_OWNER = re.compile(r"(?:^|(?<=\s))((?:[Tt]he\s+)?(?:[A-Z][\w.'\-]*\s+){1,3}(?:[a-z]+\s+){0,2}(?:in|at|of|for)\s+)$")


def _owner(before: str) -> str:
    """The body whose place or name follows it ("the US embassy in "), to go before the name."""
    match = _OWNER.search(before[-60:])
    return match.group(1) if match else ""


def quote_of(norm: str) -> str | None:
    """The longest quotation of three words or more in a normalised sentence."""
    quotes = [q.strip() for q in _QUOTE.findall(norm) if len(q.split()) >= 3]
    return max(quotes, key=len) if quotes else None


def stance(text: str, norm: str, lexicon: Lexicon = DEFAULT) -> Stance:
    """Classify one sentence; `norm` is its normalised form (see text.normalise)."""
    ruleset = _rules(lexicon)
    rules, candidates = ruleset.groups, ruleset.screen.candidates(norm)
    unquoted = _QUOTE.sub(" ", norm) if '"' in norm else norm
    # Taking out a quotation can join words into a needle: the hedges are screened on what they read.
    unquoted_candidates = candidates if unquoted == norm else ruleset.screen.candidates(unquoted)
    fired_denial = _fired(rules["denial"], candidates, norm)
    fired_negation = _fired(rules["negation"], candidates, norm)
    fired_uncertain = _fired(rules["uncertain"], candidates, norm)
    fired_hedged = _fired(rules["hedged"], unquoted_candidates, unquoted)
    fired_rumour = _fired(rules["rumour"], candidates, norm)
    fired_affirmation = _fired(rules["affirmation"], candidates, norm) if fired_denial else ()
    if fired_affirmation and set(fired_denial) <= _NEGATABLE_DENIALS and _all_turned_round(rules, norm):
        # "The story is not made up": the debunking word is negated, and the sentence vouches for
        # what it speaks of ("a hoax, not a prank" still calls it a hoax).
        polarity = "affirmed"
    else:
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
        rules=fired_denial + fired_negation + fired_uncertain + fired_hedged + fired_rumour + fired_affirmation,
    )
