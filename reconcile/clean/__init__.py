"""clean: decide which stretches of a pasted article are text and which are page furniture.

The source text is never rewritten. `clean` returns the kept stretches as `Block`s (one logical
line each: a paragraph, or a headline) and the removed ones as `Dropped` with the id of the rule
that removed them. Offsets index `Source.text`.

All patterns and word lists come from reconcile/data/furniture.yaml (via the lexicon, compiled in
furniture.py); this module applies the rule types:

* ``marker``: removed wherever it occurs in a line (template tags, inline photo credits);
* ``prefix``: removed from the start of a paragraph, the rest kept (datelines, bylines, "## ");
* ``line``: the whole line is dropped (calls to action, credits, bylines, captions);
* ``caps``: an ALL-CAPS line (teasers of other stories);
* ``unpunctuated``: a body line without final punctuation (captions, subheads), unless most
  body lines of the text lack final punctuation.

Lines are split on CRLF, CR and LF. A line that does not end a sentence, followed directly by a
line starting with a lowercase letter, is one logical line (a hard-wrapped paragraph) and makes
one block. Every step is linear in the length of the text: regexes run on bounded windows or
have bounded repetitions.
"""
from __future__ import annotations

import itertools
import re

from ..support.lexicon import DEFAULT, Lexicon
from .furniture import HEAD_WINDOW, TAIL_WINDOW, CapsRule, LineRule, Rules, normal_line, rules
from ..models import Block, CleanedSource, Dropped, Source

LINE_BREAK = re.compile(r"\r\n|\r|\n")


def ends_sentence(line: str, lexicon: Lexicon = DEFAULT) -> bool:
    """Whether `line` ends with sentence-final punctuation (optionally followed by closers)."""
    r = rules(lexicon)
    return _ends_sentence(line, r)


def _ends_sentence(line: str, r: Rules) -> bool:
    i = len(line)
    while i > 0 and line[i - 1].isspace():
        i -= 1
    while i > 0 and line[i - 1] in r.closers:
        i -= 1
    return i > 0 and line[i - 1] in r.terminals


def _sentences_at_most(line: str, limit: int, r: Rules) -> bool:
    """Whether `line` holds at most `limit` sentences (a rough count: stops before capitals)."""
    count = 1
    for m in r.sentence_end.finditer(line):
        nxt = line[m.end()]
        if nxt.isupper() or nxt.isdigit() or nxt in "\"'“‘(":
            count += 1
            if count > limit:
                return False
    return True


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without the white space at its ends (offsets into the same text)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _line_match(rule: LineRule, line: str) -> bool:
    if len(line) > rule.max_chars:
        return False
    if rule.exact and len(line) <= 120 and normal_line(line) in rule.exact:
        return True
    if rule.starts is not None and rule.starts.match(line[:HEAD_WINDOW]):
        return True
    if rule.ends is not None:
        tail = line[-TAIL_WINDOW:]
        if (rule.ends_screen is None or rule.ends_screen.any(tail)) and rule.ends.search(tail):
            return True
    return any(p.search(line) for p in rule.patterns)


def _caps_match(rule: CapsRule, line: str) -> bool:
    if len(line) > rule.max_chars:
        return False
    words = line.split()
    # isupper: some cased letter, all of them capitals (str methods: no loop here)
    capitals = [word for word in words if word.isupper()]
    long_caps = 0
    for word in capitals:
        letters = "".join(c for c in word if c.isalpha())
        if len(letters) >= rule.long_word and letters not in rule.acronyms:
            long_caps += 1
    if long_caps < rule.min_long_words:
        return False  # prose, nearly always: no need to count the other words
    caps = len(capitals)
    # some cased letter, not all capitals
    cased = caps + sum(1 for word in words if not word.isupper() and (word.lower() != word or word.upper() != word))
    return cased >= rule.min_words and caps >= rule.min_ratio * cased


def _markers(text: str, start: int, end: int, r: Rules) -> list[tuple[int, int, str]]:
    """Marker spans inside text[start:end], sorted, without overlaps."""
    found: list[tuple[int, int, str]] = []
    # A marker's needles lie inside its matches, all within [start, end).
    candidates = r.marker_screen.candidates(text[start:end])
    if not candidates:
        return found
    for index, marker in enumerate(r.markers):
        if index not in candidates:
            continue
        for pattern in marker.patterns:
            for m in pattern.finditer(text, start, end):
                if m.end() > m.start():
                    found.append((m.start(), m.end(), marker.id))
    if len(found) < 2:
        return found
    found.sort()
    merged = [found[0]]
    for s, e, rid in found[1:]:
        ps, pe, prid = merged[-1]
        if s < pe:
            merged[-1] = (ps, max(pe, e), prid)
        else:
            merged.append((s, e, rid))
    return merged


def clean(source: Source, lexicon: Lexicon = DEFAULT) -> CleanedSource:
    """Split `source.text` into kept blocks and dropped furniture."""
    r = rules(lexicon)
    text = source.text
    dropped: list[Dropped] = []

    # 1. Physical lines -> pieces of text between markers; logical lines join hard-wrapped ones.
    logical: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] | None = None
    n = len(text)
    line_start = 0
    # A line holds a marker's needles only if the whole text does, and many texts hold none.
    any_markers = r.marker_screen.any(text)
    for brk in itertools.chain(LINE_BREAK.finditer(text), (None,)):
        line_end = brk.start() if brk else n
        this_start, line_start = line_start, (brk.end() if brk else n)
        pieces: list[tuple[int, int]] = []
        pos = this_start
        last_drop: tuple[int, int, str] | None = None
        for s, e, rid in _markers(text, this_start, line_end, r) if any_markers else ():
            ps, pe = trim(text, pos, s)
            if pe > ps:
                pieces.append((ps, pe))
                last_drop = None
            if last_drop is not None and last_drop[2] == rid:
                last_drop = (last_drop[0], e, rid)  # markers separated by whitespace: one drop
                dropped[-1] = Dropped(last_drop[0], e, rid)
            else:
                last_drop = (s, e, rid)
                dropped.append(Dropped(s, e, rid))
            pos = e
        ps, pe = trim(text, pos, line_end)
        if pe > ps:
            pieces.append((ps, pe))
        if not pieces:
            current = None  # a blank or marker-only line ends the paragraph
            continue
        if (
            current is not None
            and text[pieces[0][0]].islower()
            and not _ends_sentence(text[current[-1][0] : current[-1][1]], r)
        ):
            current.extend(pieces)
        else:
            current = list(pieces)
            logical.append(current)

    # 2. Merge the pieces of each logical line that only whitespace separates (wrapped lines).
    lines: list[list[tuple[int, int]]] = []
    for pieces in logical:
        merged = [pieces[0]]
        for s, e in pieces[1:]:
            ps, pe = merged[-1]
            if text[pe:s].isspace() or pe == s:
                merged[-1] = (ps, e)
            else:
                merged.append((s, e))
        lines.append(merged)

    # 3. Prefixes, whole-line rules and the headline.
    blocks: list[Block] = []
    body: list[tuple[list[tuple[int, int]], str]] = []  # candidates for the unpunctuated rules
    headlines = 0
    in_headline_area = True
    for spans in lines:
        s, e = spans[0]
        for prefix in r.prefixes:
            window = text[s : min(e, s + prefix.window)]
            for pattern in prefix.patterns:
                m = pattern.match(window)
                if m and m.end() > 0:
                    ds, de = trim(text, s, s + m.end())
                    if de > ds:
                        dropped.append(Dropped(ds, de, prefix.id))
                    s, e = trim(text, s + m.end(), e)
                    break
            if s >= e:
                break
        if s < e:
            spans[0] = (s, e)
        else:
            spans = spans[1:]
            if not spans:
                continue
        line = " ".join(text[a:b] for a, b in spans)
        rule_id = None
        ends = _ends_sentence(line, r)
        first_headline = in_headline_area and headlines == 0 and not ends
        for rule in r.whole_line:
            if isinstance(rule, LineRule):
                if _line_match(rule, line):
                    rule_id = rule.id
                    break
            elif not first_headline and _caps_match(rule, line):
                rule_id = rule.id
                break
        if rule_id is not None:
            dropped.extend(Dropped(a, b, rule_id) for a, b in spans)
            continue
        if in_headline_area and not ends and headlines < r.headline_lines:
            headlines += 1
            blocks.extend(Block(a, b, "headline") for a, b in spans)
            continue
        in_headline_area = False
        body.append((spans, line))

    # 4. Captions and subheads: body lines without final punctuation, unless most lack it.
    unended = [not _ends_sentence(line, r) for _, line in body]
    apply_unpunctuated = bool(r.unpunctuated) and sum(unended) <= r.guard * len(body)
    for (spans, line), lacks in zip(body, unended):
        rule_id = None
        if (
            apply_unpunctuated
            and lacks
            and line.rstrip()[-1:] not in r.continuations
            and not any(p.match(line) for p in r.not_unpunctuated)
        ):
            most = max(max(u.min_words, u.max_words) for u in r.unpunctuated)
            words = len(line.split(None, most))
            for rule in r.unpunctuated:
                if rule.min_words <= words and (not rule.max_words or words <= rule.max_words) and (
                    not rule.max_sentences or _sentences_at_most(line, rule.max_sentences, r)
                ):
                    rule_id = rule.id
                    break
        if rule_id is not None:
            dropped.extend(Dropped(a, b, rule_id) for a, b in spans)
        else:
            blocks.extend(Block(a, b, "body") for a, b in spans)

    blocks.sort(key=lambda b: b.start)
    dropped.sort(key=lambda d: (d.start, d.end))
    return CleanedSource(source=source, blocks=tuple(blocks), dropped=tuple(dropped))
