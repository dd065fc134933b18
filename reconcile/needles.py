"""Literal strings that every match of a regex contains: a cheap screen to run before the regex.

`needles(pattern)` reads the pattern's parse tree and returns strings one of which every match
contains. `Screen(patterns)` finds, in one pass over a text, the needles of many patterns at
once, and so which of the patterns can match it at all: running a dozen rules on a sentence
costs about one regex search plus the few rules whose words occur in it. Rules come from YAML
that users extend, so nothing here knows a particular rule.

When nothing can be derived (a pattern that can match the empty string, case-insensitive
letters, classes of many characters, an unfamiliar parse tree) a pattern has no needles and is
always a candidate: a screen can make a search faster, never different.
"""
from __future__ import annotations

import re
from typing import Iterable, Sequence

try:  # Python 3.11 and later
    from re import _constants as _c, _parser
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _c
    import sre_parse as _parser

__all__ = ["Screen", "needles"]

_MAX_EXACT = 64  # strings in a set of exact alternatives before it is given up as too many
_MAX_CLASS = 8  # characters of a class that still count as exact alternatives
_ATOMIC = getattr(_c, "ATOMIC_GROUP", None)
_POSSESSIVE = getattr(_c, "POSSESSIVE_REPEAT", None)

# What a piece of a pattern says about its matches:
#   exact: the set of every string it can consume (None: too many or unknown);
#   need:  a set of strings, one of which every match contains (None: nothing known).
Info = tuple  # (frozenset[str] | None, frozenset[str] | None)
_NOTHING: Info = (None, None)
_EMPTY = frozenset({""})


class _Unknown(Exception):
    """A parse tree this module does not know how to read."""


class Screen:
    """Which of several patterns can match a text, from one pass over it."""

    def __init__(self, patterns: Sequence[re.Pattern[str]]):
        found = [needles(p) for p in patterns]
        self._always = frozenset(i for i, n in enumerate(found) if n is None)
        owners: dict[str, set[int]] = {}
        for i, strings in enumerate(found):
            for s in strings or ():
                owners.setdefault(s, set()).add(i)
        # The finder reports, at each position, the longest needle that starts there; every
        # needle that is a prefix of it starts there too.
        self._owners = {s: frozenset(i for t, ids in owners.items() if s.startswith(t) for i in ids) for s in owners}
        self._finder = re.compile(f"(?=({_trie(owners)}))") if owners else None

    def candidates(self, text: str) -> frozenset[int]:
        """Indexes of the patterns that may match `text`; the others certainly do not."""
        if self._finder is None:
            return self._always
        return self._always.union(*map(self._owners.__getitem__, self._finder.findall(text)))


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


def needles(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Strings one of which every match of `pattern` contains (case as written), or None."""
    if not isinstance(pattern.pattern, str):
        return None
    try:
        tree = _parser.parse(pattern.pattern, pattern.flags)
        return _usable(_sequence(list(tree), bool(pattern.flags & re.IGNORECASE)))
    except (_Unknown, RecursionError, re.error, TypeError, ValueError):
        return None


def _usable(info: Info) -> frozenset[str] | None:
    exact, need = info
    best = exact if exact is not None and "" not in exact else need
    if not best or "" in best:
        return None
    # A string that contains another of the set adds nothing: where it occurs, so does the other.
    return frozenset(s for s in best if not any(o != s and o in s for o in best))


def _sequence(items: list, ignorecase: bool) -> Info:
    run = _EMPTY  # the exact strings of the current run of items
    whole = True  # every item so far joined the run
    candidates: list[frozenset[str]] = []
    for item in items:
        exact, need = _node(item, ignorecase)
        if need is not None:  # a lookaround: it consumes nothing, but what it sees is in the text
            candidates.append(need)
        if exact is not None and len(run) * len(exact) <= _MAX_EXACT:
            run = frozenset(a + b for a in run for b in exact)
            continue
        whole = False
        candidates.append(run)
        run = exact if exact is not None else _EMPTY
    candidates.append(run)
    usable = [c for c in candidates if c and "" not in c]
    # The most selective: the longest shortest string, then the fewest strings.
    best = max(usable, key=lambda c: (min(map(len, c)), -len(c))) if usable else None
    return (run if whole else None), best


def _either(infos: list[Info]) -> Info:
    exacts = [e for e, _ in infos]
    exact = None
    if all(e is not None for e in exacts):
        union = frozenset().union(*exacts)
        exact = union if len(union) <= _MAX_EXACT else None
    needs = []
    for e, n in infos:
        one = e if e is not None and "" not in e else n
        if one is None or "" in one:
            return exact, None
        needs.append(one)
    return exact, frozenset().union(*needs)


def _node(item: tuple, ignorecase: bool) -> Info:
    op, av = item
    if op is _c.LITERAL:
        return (None, None) if ignorecase else (frozenset(chr(av)), None)
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
        return None, exact if exact is not None and "" not in exact else need
    if op is _c.AT:
        return _EMPTY, None
    if op is _c.ASSERT:  # what a lookaround sees is in the text, but it consumes nothing
        _direction, sub = av
        return _EMPTY, _usable(_sequence(list(sub), ignorecase))
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
    chars: set[str] = set()
    for op, av in items:
        if op is _c.LITERAL:
            chars.add(chr(av))
        elif op is _c.RANGE and av[1] - av[0] < _MAX_CLASS:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        else:  # NEGATE, CATEGORY, wide ranges
            return _NOTHING
        if len(chars) > _MAX_CLASS:
            return _NOTHING
    if ignorecase or not chars:
        return _NOTHING
    return frozenset(chars), None
