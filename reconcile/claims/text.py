"""Normalised text, content words and named things of a sentence."""
from __future__ import annotations

import functools
import re
import unicodedata

from ..lexicon import DEFAULT, Lexicon

_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"', "\u2033": '"',
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2013": "-", "\u2014": "-", "\u2212": "-",
})
_SPACE = re.compile(r"\s+")
_TOKEN = re.compile(r"[a-z0-9]+(?:['\-.][a-z0-9]+)*")
# A capitalised word, or an acronym; joined into spans by _name_spans.
_CAP_WORD = re.compile(r"(?<![A-Za-z0-9])(?:[A-Z][A-Za-z0-9]*(?:[.'\u2019\-][A-Za-z0-9]+)*\.?)|(?:[A-Z]\.){2,}")
_NAME_JOINERS = {"of", "de", "al", "el", "bin", "van", "von", "du", "la", "and"}


def normalise(text: str) -> str:
    """Fold case, quotes, dashes, ligatures and spacing so that equal text compares equal."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).translate(_FOLD)).strip().lower()


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


def content_words(norm: str, lexicon: Lexicon = DEFAULT) -> tuple[str, ...]:
    """Stemmed tokens of a normalised sentence, without function words."""
    stop = _word_tables(lexicon)[0]
    out = []
    for token in _TOKEN.findall(norm):
        token = token.strip(".")
        if token.endswith("'s"):
            token = token[:-2]
        if len(token) > 1 and token not in stop:
            out.append(stem(token))
    return tuple(out)


def names(text: str, lexicon: Lexicon = DEFAULT) -> tuple[str, ...]:
    """Named things: capitalised spans, with demonyms and their compounds mapped to places."""
    _, not_names, demonyms = _word_tables(lexicon)
    found: list[str] = []
    for span, at_start in _name_spans(text):
        first = span.split()[0].rstrip(".,'\u2019")
        if at_start and " " not in span and first in not_names:
            continue
        while span.split() and span.split()[0] in not_names:
            span = span.split(" ", 1)[1] if " " in span else ""
        if not span:
            continue
        places = [demonyms.get(part.lower().rstrip(".")) for part in re.split(r"[-\s]", span)]
        found.extend(p for p in places if p)
        if any(places) and " " not in span:
            continue
        key = normalise(span).replace("'s", "").replace("\u2019s", "").strip(" .")
        if key and key not in demonyms and len(key) > 1:
            found.append(key)
    return tuple(dict.fromkeys(found))


def _name_spans(text: str):
    """Yield (span, starts_sentence) for runs of capitalised words."""
    words = list(_CAP_WORD.finditer(text))
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
        at_start = not text[:start].strip(" \"'\u201c\u2018(")
        yield text[start:end].rstrip("."), at_start
        i = j + 1
