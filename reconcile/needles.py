"""Literal strings that every match of a regex contains: a cheap screen to run before the regex.

`needles(pattern)` reads the pattern's parse tree and returns strings one of which every match
contains. `Screen(patterns)` finds, in one pass over a text, the needles of many patterns at
once, and so which of the patterns can match it at all: running a dozen rules on a sentence
costs about one regex search plus the few rules whose words occur in it. `screen(pattern)` is
the same for one pattern. Rules come from YAML that users extend, so nothing here knows a
particular rule.

A needle read under re.I is kept in lower case and looked for in the text folded the way re.I
compares letters (see `fold`). When nothing can be derived (a pattern that can match the empty
string, classes of many characters, case-insensitive letters beyond ASCII, an unfamiliar parse
tree) a pattern has no needles and is always a candidate: a screen can make a search faster,
never different.
"""
from __future__ import annotations

import functools
import hashlib
import json
import re
from pathlib import Path
from typing import Iterable, Sequence

from .regex_cache import compile_cached, computed_cached

try:  # Python 3.11 and later
    from re import _constants as _c, _parser
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _c
    import sre_parse as _parser

__all__ = ["AnyNeedle", "Needle", "Screen", "fold", "needles", "screen"]

Needle = tuple  # (text, folded): folded needles are lower case and looked for in fold(text)

_MAX_EXACT = 64  # strings in a set of exact alternatives before it is given up as too many
_MAX_CLASS = 8  # characters of a class that still count as exact alternatives
_ATOMIC = getattr(_c, "ATOMIC_GROUP", None)
_POSSESSIVE = getattr(_c, "POSSESSIVE_REPEAT", None)


# What a piece of a pattern says about its matches:
#   exact: the set of every string it can consume (None: too many or unknown);
#   need:  a set of strings, one of which every match contains (None: nothing known).
Info = tuple  # (frozenset[Needle] | None, frozenset[Needle] | None)
_NOTHING: Info = (None, None)
_EMPTY_NEEDLE: Needle = ("", False)
_EMPTY = frozenset({_EMPTY_NEEDLE})


class _Unknown(Exception):
    """A parse tree this module does not know how to read."""


def fold(text: str) -> str:
    """`text` with every character that re.I matches to an ASCII letter turned into that letter
    in lower case: a folded needle occurs in fold(text) wherever its pattern matches text."""
    lowered = text.lower()  # also the Kelvin sign to "k"
    if lowered.isascii():
        return lowered
    # The other letters re.I equates with ASCII ones (tests check every code point): "İ", whose
    # lower case is "i" and a combining dot, the dotless "ı" and the long "ſ".
    return lowered.replace("i\u0307", "i").replace("\u0131", "i").replace("\u017f", "s")


def screen(pattern: re.Pattern[str]) -> AnyNeedle | None:
    """Whether a text can hold a match of `pattern` (see AnyNeedle), or None if nothing tells."""
    found = needles_of([pattern])[0]
    return AnyNeedle(found) if found else None


class AnyNeedle:
    """Whether a text holds one of a pattern's needles; where it does not, the pattern cannot
    match. Searches of plain literals, which the regex engine skips through in C."""

    def __init__(self, found: frozenset[Needle]):
        plain, folded = ([s for s, f in found if f == want] for want in (False, True))
        self._plain = re.compile(_trie(plain)) if plain else None
        self._folded = re.compile(_trie(folded)) if folded else None

    def __call__(self, text: str) -> bool:
        return bool(self._plain and self._plain.search(text) or self._folded and self._folded.search(fold(text)))


class Screen:
    """Which of several patterns can match a text, from one pass over it (two when some needles
    are folded)."""

    def __init__(self, patterns: Sequence[re.Pattern[str]]):
        found = needles_of(patterns)
        self._always = frozenset(i for i, n in enumerate(found) if n is None)
        self._plain = _Finder({(s, i) for i, strings in enumerate(found) for s, folded in strings or () if not folded})
        self._folded = _Finder({(s, i) for i, strings in enumerate(found) for s, folded in strings or () if folded})

    def candidates(self, text: str) -> frozenset[int]:
        """Indexes of the patterns that may match `text`; the others certainly do not."""
        found = self._always
        if self._plain:
            found = found.union(*self._plain.owners_in(text))
        if self._folded:
            found = found.union(*self._folded.owners_in(fold(text)))
        return found


class _Finder:
    """Every needle of a set that occurs in a text, as the sets of patterns that own them."""

    def __init__(self, owned: set[tuple[str, int]]):
        owners: dict[str, set[int]] = {}
        for s, i in owned:
            owners.setdefault(s, set()).add(i)
        # The regex reports, at each position, the longest needle that starts there; every
        # needle that is a prefix of it starts there too.
        self._owners = {s: frozenset(i for t, ids in owners.items() if s.startswith(t) for i in ids) for s in owners}
        self._first = compile_cached(_trie(owners)) if owners else None  # skips to the first needle in C
        self._every = compile_cached(f"(?=({_trie(owners)}))") if owners else None  # overlapping ones too

    def __bool__(self) -> bool:
        return self._first is not None

    def owners_in(self, text: str) -> Iterable[frozenset[int]]:
        first = self._first.search(text)
        if first is None:
            return ()
        return map(self._owners.__getitem__, self._every.findall(text, first.start()))


def needles_of(patterns: Sequence[re.Pattern[str]]) -> list[frozenset[Needle] | None]:
    """needles() of each pattern, kept on disk between runs (see regex_cache): reading the parse
    trees costs a small run a fifth of its time. Keyed by the patterns and this module's source."""
    digest = _source_digest()
    if digest is None or not all(isinstance(p.pattern, str) for p in patterns):
        return [needles(p) for p in patterns]
    key = json.dumps([digest] + [[p.pattern, int(p.flags)] for p in patterns])

    def derive():
        return [None if found is None else sorted(found) for found in map(needles, patterns)]

    return [None if found is None else frozenset((s, bool(f)) for s, f in found)
            for found in computed_cached("needles", key, derive)]


@functools.lru_cache(maxsize=1)
def _source_digest() -> str | None:
    """What keys the cache to this module's code; None (no caching) where its source cannot be read."""
    try:
        return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    except (OSError, TypeError):
        return None


def needles(pattern: re.Pattern[str]) -> frozenset[Needle] | None:
    """Strings one of which every match of `pattern` contains, as (text, folded), or None."""
    if not isinstance(pattern.pattern, str):
        return None
    try:
        tree = _parser.parse(pattern.pattern, pattern.flags)
        return _usable(_sequence(list(tree), bool(pattern.flags & re.IGNORECASE)))
    except (_Unknown, RecursionError, re.error, TypeError, ValueError):
        return None


def _usable(info: Info) -> frozenset[Needle] | None:
    exact, need = info
    best = exact if exact is not None and _EMPTY_NEEDLE not in exact else need
    if not best or any(not s for s, _ in best):
        return None
    # A string that contains another of the set adds nothing: where it occurs, so does the other.
    return frozenset((s, f) for s, f in best if not any(g == f and o != s and o in s for o, g in best))


def _join(a: Needle, b: Needle) -> Needle | None:
    """a then b as one needle; None when one is folded and the other not."""
    if not a[0]:
        return b
    if not b[0]:
        return a
    return (a[0] + b[0], a[1]) if a[1] == b[1] else None


def _sequence(items: list, ignorecase: bool) -> Info:
    run = _EMPTY  # the exact strings of the current run of items
    whole = True  # every item so far joined the run
    candidates: list[frozenset[Needle]] = []
    for item in items:
        exact, need = _node(item, ignorecase)
        if need is not None:  # a lookaround: it consumes nothing, but what it sees is in the text
            candidates.append(need)
        if exact is not None and len(run) * len(exact) <= _MAX_EXACT:
            joined = {_join(a, b) for a in run for b in exact}
            if None not in joined:
                run = frozenset(joined)
                continue
        whole = False
        candidates.append(run)
        run = exact if exact is not None else _EMPTY
    candidates.append(run)
    usable = [c for c in candidates if c and all(s for s, _ in c)]
    # The most selective: the longest shortest string, then the fewest strings.
    best = max(usable, key=lambda c: (min(len(s) for s, _ in c), -len(c))) if usable else None
    return (run if whole else None), best


def _either(infos: list[Info]) -> Info:
    exacts = [e for e, _ in infos]
    exact = None
    if all(e is not None for e in exacts):
        union = frozenset().union(*exacts)
        exact = union if len(union) <= _MAX_EXACT else None
    needs = []
    for e, n in infos:
        one = e if e is not None and _EMPTY_NEEDLE not in e else n
        if one is None or _EMPTY_NEEDLE in one:
            return exact, None
        needs.append(one)
    return exact, frozenset().union(*needs)


def _node(item: tuple, ignorecase: bool) -> Info:
    op, av = item
    if op is _c.LITERAL:
        return _chars([av], ignorecase)
    if op is _c.IN:
        return _charset(av, ignorecase)
    if op is _c.SUBPATTERN:
        _group, add, remove, sub = av
        if add & re.IGNORECASE:
            ignorecase = True
        if remove & re.IGNORECASE:
            ignorecase = False
        return _sequence(list(sub), ignorecase)
    if op is _ATOMIC:
        return _sequence(list(av), ignorecase)
    if op is _c.BRANCH:
        return _either([_sequence(list(alt), ignorecase) for alt in av[1]])
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _POSSESSIVE):
        low, high, sub = av
        exact, need = _sequence(list(sub), ignorecase)
        if low == 0:
            return (exact | _EMPTY if exact is not None and high == 1 else None), None
        if low == high == 1:
            return exact, need
        return None, exact if exact is not None and _EMPTY_NEEDLE not in exact else need
    if op is _c.AT:
        return _EMPTY, None
    if op is _c.ASSERT:
        direction, sub = av
        # What a lookahead sees is in the text, though it consumes nothing. A lookbehind is left
        # out: it can see before the `pos` a search starts at, where a screen does not look.
        return _EMPTY, _usable(_sequence(list(sub), ignorecase)) if direction == 1 else None
    if op is _c.ASSERT_NOT:
        return _EMPTY, None
    if op is _c.GROUPREF_EXISTS:
        _group, yes, no = av
        infos = [_sequence(list(yes), ignorecase), _sequence(list(no), ignorecase) if no else (_EMPTY, None)]
        return None, _either(infos)[1]
    if op in (_c.NOT_LITERAL, _c.ANY, _c.GROUPREF, _c.CATEGORY):
        return _NOTHING
    raise _Unknown(op)


def _charset(items: list, ignorecase: bool) -> Info:
    codes: set[int] = set()
    for op, av in items:
        if op is _c.LITERAL:
            codes.add(av)
        elif op is _c.RANGE and av[1] - av[0] < _MAX_CLASS:
            codes.update(range(av[0], av[1] + 1))
        else:  # NEGATE, CATEGORY, wide ranges
            return _NOTHING
        if len(codes) > _MAX_CLASS:
            return _NOTHING
    return _chars(codes, ignorecase)


def _chars(codes: Iterable[int], ignorecase: bool) -> Info:
    """The needles of one character out of `codes`. Under re.I only ASCII ones are known: their
    matches fold to them."""
    chars = [chr(c) for c in codes]
    if not chars:
        return _NOTHING
    if not ignorecase:
        return frozenset((c, False) for c in chars), None
    if not all(c.isascii() for c in chars):
        return _NOTHING
    return frozenset((c.lower(), True) for c in chars), None


def _trie(strings: Iterable[str]) -> str:
    """Literal strings as a regex that tests a character or two at each position, not every
    string; at a position it matches the longest of them that starts there."""
    root: dict[str, dict] = {}
    for s in strings:
        node = root
        for ch in s:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        body = "" if not alts else alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body}|)" if body and "" in node else body

    return emit(root)
