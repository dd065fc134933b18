"""Normalised text, content words and named things of a sentence."""
from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any, Callable

from ..support.lexicon import DEFAULT, Lexicon

_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"', "\u2033": '"',
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2013": "-", "\u2014": "-", "\u2212": "-",
})
# str.translate looks every character up in a dict: on the quarter of sentences that are not
# ASCII, a substitution of just the characters to fold is twice as fast. (All of them lie beyond ASCII.)
_TO_FOLD = re.compile("[" + re.escape("".join(map(chr, _FOLD))) + "]")
_FOLDED = {chr(code): folded for code, folded in _FOLD.items()}
_SPACE = re.compile(r"\s+")
_TOKEN = re.compile(r"[a-z0-9]+(?:['\-.][a-z0-9]+)*")
# A capitalised word, or an acronym; joined into spans by _name_spans.
_CAP_WORD = re.compile(r"(?<![A-Za-z0-9])(?:[A-Z][A-Za-z0-9]*(?:[.'\u2019\-][A-Za-z0-9]+)*\.?)|(?:[A-Z]\.){2,}")
_NAME_JOINERS = {"of", "de", "al", "el", "bin", "van", "von", "du", "la", "and"}


def normalise(text: str) -> str:
    """Fold case, quotes, dashes, ligatures and spacing so that equal text compares equal."""
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        text = _TO_FOLD.sub(_folded, text)
    return _SPACE.sub(" ", text).strip().lower()


def _folded(match: re.Match[str]) -> str:
    return _FOLDED[match.group()]


@functools.lru_cache(maxsize=8)
def _word_tables(lexicon: Lexicon) -> tuple[frozenset[str], frozenset[str], dict[str, str]]:
    words = lexicon.get("words")
    return (
        frozenset(words.get("stopwords", [])),
        frozenset(words.get("not_names", [])),
        {str(k).lower(): str(v) for k, v in (words.get("demonyms") or {}).items()},
    )


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light suffix stripper: enough for "drones"/"drone" and "killed"/"kill" to meet."""
    if len(word) <= 4 or not word.isalpha():
        return word
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ied", "y"), ("ed", ""), ("es", ""), ("s", ""), ("ly", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            if suffix == "es" and not word.endswith(("ches", "shes", "sses", "xes", "zes")):
                return word[:-1]
            return word[: -len(suffix)] + keep
    return word


class _Memo(dict):
    """What `compute` says of a key, worked out once: words and names recur across sentences far
    more than they vary. Starts afresh past `limit` keys, so a long run stays within memory."""

    def __init__(self, compute: Callable[[Any], Any], limit: int = 1 << 16):
        super().__init__()
        self.compute, self.limit = compute, limit

    def __missing__(self, key: Any) -> Any:
        value = self.compute(key)
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value


@functools.lru_cache(maxsize=8)
def _memos(lexicon: Lexicon) -> tuple[_Memo, _Memo]:
    """Per lexicon: token -> content word (or None), (span, starts sentence) -> names."""
    stop, not_names, demonyms = _word_tables(lexicon)
    return (_Memo(functools.partial(_content_word, stop=stop)),
            _Memo(functools.partial(_names_of_span, not_names=not_names, demonyms=demonyms)))


def content_words(norm: str, lexicon: Lexicon = DEFAULT) -> tuple[str, ...]:
    """Stemmed tokens of a normalised sentence, without function words."""
    return tuple(filter(None, map(_memos(lexicon)[0].__getitem__, _TOKEN.findall(norm))))


def _content_word(token: str, stop: frozenset[str]) -> str | None:
    token = token.strip(".")
    if token.endswith("'s"):
        token = token[:-2]
    return stem(token) if len(token) > 1 and token not in stop else None  # a stem is never empty


def names(text: str, lexicon: Lexicon = DEFAULT) -> tuple[str, ...]:
    """Named things: capitalised spans, with demonyms and their compounds mapped to places."""
    of_span = _memos(lexicon)[1]
    found: list[str] = []
    for span in _name_spans(text):
        found.extend(of_span[span])
    return tuple(dict.fromkeys(found))


def _names_of_span(span_at_start: tuple[str, bool], not_names: frozenset[str], demonyms: dict[str, str]) -> tuple[str, ...]:
    span, at_start = span_at_start
    found: list[str] = []
    first = span.split()[0].rstrip(".,'\u2019")
    if at_start and " " not in span and first in not_names:
        return ()
    while span.split() and span.split()[0] in not_names:
        span = span.split(" ", 1)[1] if " " in span else ""
    if not span:
        return ()
    places = [demonyms.get(part.lower().rstrip(".")) for part in re.split(r"[-\s]", span)]
    found.extend(p for p in places if p)
    if any(places) and " " not in span:
        return tuple(found)
    key = normalise(span).replace("'s", "").replace("\u2019s", "").strip(" .")
    if key and key not in demonyms and len(key) > 1:
        found.append(key)
    return tuple(found)


def _name_spans(text: str):
    """Yield (span, starts_sentence) for runs of capitalised words."""
    words = list(_CAP_WORD.finditer(text))
    # A span starts the sentence when only spaces, opening quotes and brackets come before it.
    lead = len(text) - len(text.lstrip(" \"'\u201c\u2018("))
    i = 0
    while i < len(words):
        start, end = words[i].start(), words[i].end()
        j = i
        while j + 1 < len(words):
            gap = text[end: words[j + 1].start()]
            if gap == " " or (gap.strip() in _NAME_JOINERS and gap.startswith(" ") and gap.endswith(" ") and len(gap) < 6):
                end = words[j + 1].end()
                j += 1
            else:
                break
        yield text[start:end].rstrip("."), start <= lead
        i = j + 1
