"""Which of several rules can match a text, from one pass over it.

Each rule comes with literal strings, its needles, one of which every match of the rule
contains: declared beside the pattern in reconcile/data (`needles:`), or the words of the word
list the pattern is built from. One Aho-Corasick automaton (pyahocorasick) holds the needles of
every rule and finds them all in one pass over the text folded to lower case (see `fold`); a
rule none of whose needles occurs cannot match and need not run. A rule without needles is
always a candidate, so a screen makes a search faster and never different, as long as each
rule's needles are true to its pattern: tests check them on the rules' examples and the fixtures.
"""
from __future__ import annotations

from typing import Iterable, Sequence

import ahocorasick

__all__ = ["Screen", "fold"]


def fold(text: str) -> str:
    """`text` in lower case, with the letters re.I matches to an ASCII letter turned into that
    letter: a lower-case needle occurs in fold(text) wherever a case-insensitive match of it does."""
    lowered = text.lower()  # also the Kelvin sign to "k"
    if lowered.isascii():
        return lowered
    # "İ" lowers to "i" and a combining dot; the dotless "ı" and the long "ſ" match "i" and "s" under re.I.
    return lowered.replace("i\u0307", "i").replace("\u0131", "i").replace("\u017f", "s")


def longest_words(phrases) -> list[str]:
    """The longest word of each phrase ("" for a phrase with none): a needle every match of the
    phrase holds, when the phrase's words are matched as written."""
    return [max(str(p).split() or [""], key=len) for p in phrases]


class Screen:
    """Which rules (by index) may match a text, given each rule's needles (None: it may match anything)."""

    def __init__(self, needles: Sequence[Iterable[str] | None]):
        always: set[int] = set()
        owners: dict[str, set[int]] = {}
        for index, strings in enumerate(needles):
            folded = None if strings is None else [fold(str(s)) for s in strings]
            if not folded or not all(folded):  # no needles, or an empty one: every text may hold a match
                always.add(index)
                continue
            for s in folded:
                owners.setdefault(s, set()).add(index)
        self._always = frozenset(always)
        self._automaton = None
        if owners:
            self._automaton = ahocorasick.Automaton()
            for s, indexes in owners.items():
                self._automaton.add_word(s, frozenset(indexes))
            self._automaton.make_automaton()

    def candidates(self, text: str) -> frozenset[int]:
        """Indexes of the rules that may match `text`; the others certainly do not."""
        if self._automaton is None:
            return self._always
        found = set(self._always)
        for _, indexes in self._automaton.iter(fold(text)):
            found.update(indexes)
        return frozenset(found)

    def any(self, text: str) -> bool:
        """Whether any rule may match `text`."""
        if self._always:
            return True
        if self._automaton is None:
            return False
        for _ in self._automaton.iter(fold(text)):
            return True
        return False
