"""Figures in one sentence: counts, money, measures, dates, times and ranks, each with the bound
it is stated with ("at least 4") and what it counts ("4 people ... killed").

The word lists live in reconcile/data/quantities.yaml; figure_pattern.py compiles them into one
pattern that reads figures, clause ends and cue words in a single pass, and this module turns its
matches into Quantity objects with the words around them.
"""
from __future__ import annotations

import bisect
import re
from typing import Any

from ..support.lexicon import DEFAULT, Lexicon
from ..models import Quantity
from .figure_pattern import FigureTables, norm_phrase, tables

__all__ = ["find_quantities", "shifted"]

_NEXT_VERB = re.compile(r"\s+(?:(?:was|were|is|are|has been|have been|later|also)\s+)*([a-z]+)\b")


def _casualty_follows(text: str, at: int, t: FigureTables) -> bool:
    """Whether a casualty word comes straight after `at` ("a third died", "a fourth was injured")."""
    verb = _NEXT_VERB.match(text, at)
    return bool(verb) and t.noun_category(verb.group(1)) in t.casualty


_LONE_END = re.compile(r"\s*(?:[,;.)]|and\b|$)")  # "killing one," / "killing one and ..." / "killing one."
_WINDOW = 120  # characters a cue word may sit from its figure, however long the clause

_PLAIN_QUANTITY = not hasattr(Quantity, "__slots__") and not hasattr(Quantity, "__post_init__")
_FIGURE_GROUPS = ("cura", "curb", "numa", "multa", "worda", "single", "pair", "vague", "vscale", "rng", "numb", "multb",
                  "wordb", "unit", "pre", "post", "btw", "aged")
_WORDS = re.compile(r"\s+([^\W\d_][\w'\u2019-]*)(?:\s+([^\W\d_][\w'\u2019-]*)"
                    r"(?:\s+([^\W\d_][\w'\u2019-]*)(?:\s+([^\W\d_][\w'\u2019-]*)|)|)|)")
_AMPM = re.compile(r"([ap])\.?m", re.I)
_DIGIT = re.compile(r"\d")
_OPEN, _CLOSE = re.compile(r"[ \t]*\([ \t]*"), re.compile(r"[ \t]*\)")
_BOUND_RANGES = {"exact": (1.0, 1.0), "at_least": (1.0, None), "more_than": (1.0, None), "at_most": (None, 1.0),
                 "less_than": (None, 1.0), "about": (0.9, 1.1), "nearly": (0.9, 1.0)}


class _Fig:
    """A figure while it is being worked out; frozen into a Quantity at the end."""

    __slots__ = ("start", "end", "value", "low", "high", "bound", "unit", "category", "counted", "additive",
                 "change", "count", "lone", "year_like", "of_ok", "partitive")

    def __init__(self, start: int, end: int, value: float | None, unit: str | None = None, category: str | None = None):
        self.start, self.end, self.value, self.low, self.high, self.bound = start, end, value, value, value, "exact"
        self.unit, self.category, self.counted, self.additive, self.change = unit, category, None, False, None
        # count: its category comes from the words around it; lone: "one", kept only for a casualty;
        # of_ok: its noun follows "of" ("hundreds of people"); partitive: "two of them"
        self.count = self.lone = self.year_like = self.of_ok = self.partitive = False


def find_quantities(text: str, offset: int = 0, lexicon: Lexicon = DEFAULT) -> tuple[Quantity, ...]:
    """All figures in one sentence `text` whose first character is at `offset` in the file, by start."""
    t = tables(lexicon)
    if not _DIGIT.search(text) and (t.number_words is not None and not t.number_words.search(text.lower())
                                    or not t.any_figure.search(text)):
        return ()  # no figure here (with a digit, the scan itself is as quick to find out)
    context = _Context(text, t)
    out: list[Quantity] = []
    pending: list[_Fig] = []  # the last figure, held back in case the next restates it in other units

    def finish(m: re.Match[str], prev_end: int, next_start: int) -> None:
        for fig in _parse(m, t, text):
            if fig.count or fig.change is None and fig.category not in ("date", "time", "rank"):
                if not context.resolve(fig, prev_end, next_start):
                    continue
            if pending and _restates(pending[0], fig, text):
                continue
            if pending:
                out.append(_quantity(pending.pop(), text, offset))
            pending.append(fig)

    last, prev_end, items = None, 0, t.items
    for m in t.scan.finditer(text):
        kind = m.lastgroup
        if kind in items:
            context.starts.append(m.start())
            context.ends.append(m.end())
            context.kinds.append(items[kind])
        elif kind != "skip":
            if last is not None:  # every word up to this figure has been read: settle the last one
                finish(last, prev_end, m.start())
                prev_end = last.end()
            last = m
    if last is not None:
        finish(last, prev_end, len(text))
    out.extend(_quantity(fig, text, offset) for fig in pending)
    return tuple(out)


def _quantity(f: _Fig, text: str, offset: int) -> Quantity:
    fields = {"text": text[f.start:f.end], "value": f.value, "low": f.low, "high": f.high, "bound": f.bound,
              "unit": f.unit, "category": f.category, "counted": f.counted, "start": offset + f.start,
              "end": offset + f.end, "additive": f.additive, "change": f.change}
    if not _PLAIN_QUANTITY:
        return Quantity(**fields)
    # A frozen dataclass's __init__ sets each field through object.__setattr__, which on a megabyte
    # of figures costs more than finding them; filling __dict__ at once makes the same object.
    q = object.__new__(Quantity)
    object.__setattr__(q, "__dict__", fields)
    return q


def shifted(q: Quantity, offset: int) -> Quantity:
    """The same figure, `offset` characters further into the file."""
    if not _PLAIN_QUANTITY:
        from dataclasses import replace

        return replace(q, start=q.start + offset, end=q.end + offset)
    fields = dict(q.__dict__)
    fields["start"] += offset
    fields["end"] += offset
    moved = object.__new__(Quantity)
    object.__setattr__(moved, "__dict__", fields)
    return moved


def _restates(prev: _Fig, fig: _Fig, text: str) -> bool:
    """One figure in two units, "€500m (£432m)", is one quantity: the first, grown to cover both."""
    if prev.unit and fig.unit and prev.category == fig.category and _OPEN.fullmatch(text, prev.end, fig.start):
        close = _CLOSE.match(text, fig.end)
        if close:
            prev.end = close.end()
            return True
    return False


def _parse(m: re.Match[str], t: FigureTables, text: str) -> tuple[_Fig, ...]:
    kind, s, e = m.lastgroup, m.start(), m.end()
    if kind == "plain":  # digits and nothing that could extend them: by far the commonest figure
        fig = _Fig(s, e, float(m.group()))
        fig.count, fig.year_like = True, e - s == 4 and 1900 <= fig.value <= 2099
        return (fig,)
    if kind == "fig":
        g = m.group
        return _parse_dated(m, t, text) if g("clock") or g("dmon") or g("osuf") else _parse_figure(m, t, text)
    if kind == "date":
        return _date(t, text, s, e, m.group("day1"), m.group("mon1"))
    if _words_before(text, s)[-1] in ("a", "an"):
        return ()  # "a second attack" is another attack, not a rank
    value = t.ordinals[m.group("oword").lower()] + t.small.get((m.group("otens") or "").lower(), 0)
    return (_Fig(s, e, float(value), category="rank"),)


def _parse_dated(m: re.Match[str], t: FigureTables, text: str) -> tuple[_Fig, ...]:
    """A time, day-month date or ordinal written with digits: "12:02 p.m.", "16 July", "4th"."""
    g, s, e, digits = m.group, m.start("numa"), m.end(), m.group("numa")
    if g("dmon"):
        return _date(t, text, s, e, digits, g("mon2"))
    if g("osuf"):
        return (_Fig(s, e, float(digits.replace(",", "")), category="rank"),)
    clock = g("clock")
    if not digits.isdigit() or len(digits) > 2:
        return ()
    hour, minute = int(digits), int(clock[1:3]) if clock.startswith(":") else 0
    found = _AMPM.search(clock)
    ampm = found.group(1).lower() if found else ""
    if minute > 59 or hour > 24 or (ampm and not 1 <= hour <= 12):
        return ()
    hour = hour % 12 + (12 if ampm == "p" else 0) if ampm else hour
    return (_Fig(s, e, round(hour + minute / 60, 4), category="time"),)


def _date(t: FigureTables, text: str, s: int, e: int, day_text: str, month_text: str) -> tuple[_Fig, ...]:
    day, month = int(day_text) if day_text.isdigit() else 0, month_text.lower()
    if not 1 <= day <= 31:
        return ()
    if text[e - 1] == "." and month not in t.month_abbrevs and text[e - 2].isalpha():
        e -= 1  # "on 16 July." ends the sentence; "16 Aug." is an abbreviation
    return (_Fig(s, e, float(t.months[month] * 100 + day), category="date"),)  # 716 for July 16


def _parse_figure(m: re.Match[str], t: FigureTables, text: str) -> tuple[_Fig, ...]:
    (cura, curb, numa, multa, worda, single, pair, vague, vscale, rng, numb, multb, wordb, unit_text, pre, post, btw,
     aged) = m.group(*_FIGURE_GROUPS)
    unit = category = None
    if unit_text:
        unit, category = t.units[norm_phrase(unit_text.lstrip("-"))]
    currency = t.symbols.get((cura or curb or "").lower())
    scale_a, scale_b = (t.multipliers.get(raw.strip().lower(), 1.0) if raw else 1.0 for raw in (multa, multb))
    if currency is None and unit is None and "m" in (multa, multb):
        unit, category, scale_a, scale_b = "m", "distance", 1.0, 1.0  # "a 12m wall": metres, not millions
    if unit == "lb" and norm_phrase(unit_text.lstrip("-")) in t.pound_words and max(scale_a, scale_b) >= t.pound_scale:
        unit, category = t.pound_currency, "money"
    if currency:
        unit, category = currency, "money"
    if category == "duration" and t.time_point.match(text, m.end()) \
            and not t.lasting.search(text, max(0, m.start() - 30), m.start()):
        category = "time ago"  # "married six years ago": when, not how long
    fig = _Fig(m.start("a"), m.end(), None, unit, category)
    if numa:
        a = float(numa.replace(",", "").replace(" ", "")) * scale_a
        fig.year_like = len(numa) == 4 and 1900 <= a <= 2099 and not (cura or multa or unit or pre or post)
    elif worda or single:
        a = _word_value(worda, t) if worda else 1.0
        fig.lone = not rng and (not worda or worda.lower() == "one")
        fig.additive = bool(single) and norm_phrase(single) in t.one_more
        fig.of_ok = bool(worda) and re.split(r"[\s-]+", worda.lower())[-1] in t.scales
    elif pair:
        a, fig.counted, fig.of_ok = 2.0, pair.split()[-1], True
    b = None
    if rng and (vague or not (numa or worda)):
        fig.end = m.end("a")  # "dozens-5": no range starts from a vague amount
    elif rng:
        b = float(numb.replace(",", "").replace(" ", "")) * scale_b if numb else _word_value(wordb, t)
        if scale_b > 1 and scale_a == 1 and a <= b / scale_b:
            a *= scale_b  # "10 to 12 million"
        if fig.year_like and numb and len(numb) == 2:
            b += a // 100 * 100  # "2014-15"
        fig.year_like = fig.year_like and bool(numb) and 1900 <= b <= 2099 and len(numb) in (2, 4)
        verb = btw and btw.lower() == "from" and t.change_end.search(text, max(0, m.start("btw") - 40), m.start("btw"))
        if b <= a:
            fig.end, b = m.end("a"), None  # "a 4-3 win" is a score, not a range
        elif verb:
            first = _Fig(m.start("a"), m.end("a"), a, unit, category)
            first.count = fig.count = unit is None
            fig.start, fig.value, fig.low, fig.high = m.start("b"), b, b, b
            fig.change = t.change_kinds[int(verb.lastgroup[1:])]
            return first, fig  # "rose from 4 to 6": the old figure and the new one, not a range
        elif btw:
            fig.start = m.start("btw")
    if vague:
        low, high = t.vague[norm_phrase(vague[: len(vague) - len(vscale or "")])]
        mult = t.scales[vscale.lower()] if vscale else 1.0
        fig.low = None if low is None else low * mult
        fig.high = None if high is None else high * mult
        fig.bound, fig.of_ok = "exact" if fig.low == fig.high else "vague", True
        fig.value = fig.low if fig.bound == "exact" else None
    elif b is not None:
        fig.value, fig.low, fig.high, fig.bound = (a + b) / 2, a, b, "range"
    else:
        kind = (pre and t.bounds.get(norm_phrase(pre))) or (post and t.suffix.get(norm_phrase(post))) or "exact"
        lo, hi = _BOUND_RANGES[kind]
        fig.value, fig.bound = a, "about" if kind == "nearly" else kind
        fig.low = None if lo is None else a if lo == 1.0 else round(a * lo, 6)
        fig.high = None if hi is None else a if hi == 1.0 else round(a * hi, 6)
    if pre:
        fig.start = m.start("pre")
    if aged:
        fig.start, fig.unit, fig.category = m.start("aged"), "year", "age"
    fig.count = fig.category is None
    return (fig,)


def _word_value(words: str, t: FigureTables) -> float:
    total = current = 0.0
    for w in re.split(r"[\s-]+", words.lower()):
        if w in t.small:
            current += t.small[w]
        elif w in ("a", "an"):
            current += 1
        elif w == "hundred":
            current = (current or 1) * 100
        elif w in t.scales:
            total, current = total + (current or 1) * t.scales[w], 0.0
    return total + current


def _words_before(text: str, start: int) -> list[str]:
    """The last words before `start`, lower case, when the figure follows them directly."""
    if start and not (text[start - 1].isspace() or text[start - 1] == "-"):
        return [""]
    return [w.strip("-") for w in text[max(0, start - 30):start].lower().split()[-2:]] or [""]


class _Context:
    """Clause ends, cue words and revision verbs read so far, and what they say about a figure."""

    def __init__(self, text: str, t: FigureTables):
        self.text, self.t = text, t
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.kinds: list[tuple[str, Any] | None] = []  # ("cue", category), ("change", kind), ...; None ends a clause

    def resolve(self, fig: _Fig, prev_end: int, next_start: int) -> bool:
        """Fill in what the words around `fig` say; False when it is not a figure after all."""
        t, text = self.t, self.text
        lo, hi = max(prev_end, fig.start - _WINDOW), min(next_start, fig.end + _WINDOW)
        back_cue = None
        j = bisect.bisect_left(self.starts, fig.start) - 1
        if j >= 0 and self.kinds[j] and self.kinds[j][0] == "another" and text[self.ends[j]:fig.start].isspace():
            fig.additive = True  # "another 5 people"
        while j >= 0 and self.starts[j] >= lo:  # back to the start of the clause
            kind = self.kinds[j]
            if kind is None:
                break
            if kind[0] == "change" and fig.change is None:
                fig.change = kind[1]
            elif kind[0] == "cue" and back_cue is None:
                back_cue = kind[1]
            j -= 1
        if not fig.count:
            return True
        if fig.year_like and _words_before(text, fig.start)[-1] in t.year_words:
            fig.category = "year"
            return True
        if not fig.counted or fig.of_ok:
            self._noun(fig, hi)
        if fig.year_like and fig.counted is None:
            fig.category = "year"
            return True
        if fig.partitive:
            return not fig.lone  # a part of another figure ("one of the" is not even that)
        money = t.units.get(fig.counted.lower()) if fig.counted else None
        if money and money[1] == "money":
            fig.unit, fig.category, fig.counted = money[0], "money", None  # "millions of dollars"
            return True
        noun_cat = t.noun_category(fig.counted) if fig.counted else None
        if noun_cat and noun_cat not in t.counted_only:
            fig.category = noun_cat
        elif (fig.counted is None or fig.counted.lower() in t.people or fig.counted[0].isupper()):
            j = bisect.bisect_left(self.starts, fig.end)
            while j < len(self.starts) and self.starts[j] < hi and self.kinds[j] is not None:
                if self.kinds[j][0] == "cue":  # forward to the end of the clause
                    break
                j += 1
            ahead = j < len(self.starts) and self.starts[j] < hi and self.kinds[j]
            fig.category = (ahead[1] if ahead else None) or back_cue or noun_cat
        else:
            fig.category = noun_cat
        if fig.lone:  # "one", "a single": only as a casualty ("one of the", "no one" are not figures)
            before = _words_before(text, fig.start)[-1]
            if fig.counted is None and before in t.casualty_verbs and (fig.additive or _LONE_END.match(text, fig.end)):
                fig.category = t.casualty_verbs_category.get(before, fig.category)
                return True
            if fig.additive and fig.counted is None and fig.category in t.casualty:
                return _casualty_follows(text, fig.end, t)  # "two died and a third was hurt"
            return (fig.category in t.casualty and fig.counted is not None and fig.counted.lower() in t.people
                    and before != "no")
        return True

    def _noun(self, fig: _Fig, hi: int) -> None:
        """The counted noun: the last word of the short run after the figure ("15 other cities")."""
        t, run = self.t, []
        m = _WORDS.match(self.text, fig.end, hi)
        words = m.groups() if m else ()
        for n, word in enumerate(words):
            if word is None:
                break
            low = word.lower()
            if low == "of" and n == 0:
                if fig.of_ok:
                    continue  # "hundreds of people"
                fig.partitive = (words[1] or "").lower() in t.partitive  # "two of them"
                break
            if low in t.after:
                fig.additive = True
                continue
            if low in t.stop:
                break
            if low.endswith(("ed", "ing")) and low not in t.people:
                if run:
                    break
                continue  # "300 armed police", "18 injured people"
            run.append(word)
            if low in t.people or t.noun_category(low):
                break
        if run:
            fig.counted = run[-1]
