"""segment: split the kept blocks of a cleaned source into sentences.

A sentence never crosses a block. Offsets index `Source.text`; `Sentence.text` is exactly
`Source.text[start:end]`, trimmed of whitespace. Lines and columns are 1-based and count line
breaks as CRLF, CR or LF (the same breaks `clean` uses).

The splitter is a single left-to-right scan over runs of terminal punctuation (. ! ? …),
deciding at each run, from the word before it and the word after it, whether a sentence ends:

* no split before a lowercase letter ("U.S. officials", '"Why?" he asked', "wait... then");
* no split after a title or similar abbreviation that a name or number always follows (Mr., Dr.,
  Gen., vs., e.g.); after an abbreviation that can end a sentence (U.S., Inc., a.m., Jan., single
  initials like "J.") only before a typical sentence starter ("The", "He", ...) or an opening quote;
* no split inside a number ("3.5", "$1.5m") because a split needs whitespace after the run;
* closing quotes and brackets after the terminal stay with the sentence.

Everything is linear in the length of the text. Sentences longer than `max_sentence_chars` are
cut at whitespace (or hard, if there is none) so that later stages stay bounded.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from .clean import LINE_BREAK, trim
from .errors import ConfigError
from .support.lexicon import DEFAULT, Lexicon
from .models import CleanedSource, Sentence

_TOKEN_BACK = 40  # how far back to look for the word before a full stop
_WORD_AHEAD = 30  # how far ahead to look for the word after a break
_INITIALS = re.compile(r"(?:[^\W\d_]\.)*[^\W\d_]")  # J  U.S  a.m  (the token before the last dot)


@dataclass(frozen=True)
class _Rules:
    terminal: re.Pattern[str]  # group 1: terminal run, group 2: closers
    nospace: frozenset[str]
    openers: frozenset[str]
    never: frozenset[str]
    ambiguous: frozenset[str]
    starters: frozenset[str]
    max_chars: int


def _list(data: dict, key: str) -> list[str]:
    value = data.get(key) or []
    if not isinstance(value, list):
        raise ConfigError(f"lexicon segment.{key}: expected a list")
    return [str(v) for v in value]


@functools.lru_cache(maxsize=16)
def _rules(lexicon: Lexicon) -> _Rules:
    data = lexicon.get("segment")
    terminals = str(data.get("terminals", ".!?…"))
    nospace = str(data.get("terminals_nospace", ""))
    closers = str(data.get("closers", "\"')]"))
    chars = terminals + nospace
    if not chars:
        raise ConfigError("lexicon segment.terminals: empty")
    pattern = f"([{re.escape(chars)}]+)([{re.escape(closers)}]*)" if closers else f"([{re.escape(chars)}]+)()"
    max_chars = int(data.get("max_sentence_chars", 2000))
    if max_chars < 10:
        raise ConfigError("lexicon segment.max_sentence_chars: must be at least 10")
    return _Rules(
        terminal=re.compile(pattern),
        nospace=frozenset(nospace),
        openers=frozenset(str(data.get("openers", "\"'([“‘"))),
        never=frozenset(_list(data, "never_split_after")),
        ambiguous=frozenset(_list(data, "split_after_if_starter")),
        starters=frozenset(_list(data, "sentence_starters")),
        max_chars=max_chars,
    )


def _word_before(text: str, lo: int, dot: int) -> str:
    """The non-space token that ends just before text[dot], at most _TOKEN_BACK chars long."""
    i = dot
    stop = max(lo, dot - _TOKEN_BACK)
    while i > stop and not text[i - 1].isspace():
        i -= 1
    token = text[i:dot]
    # strip opening quotes/brackets: '("Mr' -> 'Mr'
    j = 0
    while j < len(token) and not token[j].isalnum():
        j += 1
    return token[j:]


def _word_after(text: str, start: int, hi: int) -> str:
    j = start
    stop = min(hi, start + _WORD_AHEAD)
    while j < stop and text[j].isalpha():
        j += 1
    return text[start:j]


def _is_break(text: str, r: _Rules, m: re.Match[str], sent_start: int, nxt: int, hi: int) -> bool:
    """Whether the terminal run `m` ends a sentence; `nxt` is the next non-space position."""
    run, closers = m.group(1), m.group(2)
    if nxt >= hi:
        return True
    first = text[nxt]
    if first.islower():
        return False
    if run[-1] in r.nospace:
        return True
    if run != ".":
        return True  # ! ? … ... ?! and friends
    if closers:
        return True  # 'it is over." Then' / '(It was late.) Then'
    token = _word_before(text, sent_start, m.start())
    if not token:
        return True
    abbr = token + "."
    if abbr in r.never:
        return False
    if abbr in r.ambiguous or _INITIALS.fullmatch(token):
        return first in r.openers or _word_after(text, nxt, hi) in r.starters
    if token.isdigit() and len(token) <= 3 and m.start() - len(token) == sent_start:
        return False  # "1. The first point": a list number, not a sentence
    return True


def _spans(text: str, lo: int, hi: int, r: _Rules):
    """(start, end) of the sentences in text[lo:hi], trimmed, in order."""
    start = lo
    for m in r.terminal.finditer(text, lo, hi):
        end = m.end()
        if end < start:
            continue
        if end < hi and not text[end].isspace() and m.group(1)[-1] not in r.nospace:
            continue  # "3.5", "e.g.x", "end.Next": no whitespace after the run
        nxt = end
        while nxt < hi and text[nxt].isspace():
            nxt += 1
        if _is_break(text, r, m, start, nxt, hi):
            yield start, end
            start = nxt
    if start < hi:
        yield start, hi


def _capped(text: str, start: int, end: int, cap: int):
    """Cut [start, end) into pieces of at most `cap` characters, at whitespace where possible."""
    while end - start > cap:
        limit = start + cap
        cut = limit
        floor = start + cap // 2
        while cut > floor and not text[cut].isspace():  # text[limit] itself may be the space
            cut -= 1
        if cut <= floor:
            cut = limit  # no whitespace in the second half of the window: cut hard
        s, e = trim(text, start, cut)
        if e > s:
            yield s, e
        start, _ = trim(text, cut, end)
    if end > start:
        yield start, end


def _has_word(text: str, start: int, end: int) -> bool:
    for i in range(start, end):
        if text[i].isalnum():
            return True
    return False


def line_starts(text: str) -> list[int]:
    """Offsets where each line of `text` starts (line breaks: CRLF, CR, LF)."""
    return [0] + [m.end() for m in LINE_BREAK.finditer(text)]


def segment(cleaned: CleanedSource, lexicon: Lexicon = DEFAULT) -> tuple[Sentence, ...]:
    """Split every block of `cleaned` into sentences, numbered from 0 across the source."""
    r = _rules(lexicon)
    source = cleaned.source
    text = source.text
    starts = line_starts(text)
    out: list[Sentence] = []
    for block in sorted(cleaned.blocks, key=lambda b: (b.start, b.end)):
        lo, hi = max(0, block.start), min(len(text), block.end)
        for s0, e0 in _spans(text, lo, hi, r):
            s0, e0 = trim(text, s0, e0)
            for s, e in _capped(text, s0, e0, r.max_chars):
                if e <= s or not _has_word(text, s, e):
                    continue
                line = bisect.bisect_right(starts, s) - 1
                out.append(
                    Sentence(
                        source_id=source.id,
                        index=len(out),
                        start=s,
                        end=e,
                        line=line + 1,
                        column=s - starts[line] + 1,
                        text=text[s:e],
                        headline=block.kind == "headline",
                    )
                )
    return tuple(out)
