"""The figure scanner: quantities.yaml compiled, once per lexicon, into lookups and one pattern
that reads figures, clause ends and cue words in a single pass (quantities.py reads its matches).

Its branches start only at the start of a token and its repeats are bounded or cannot overlap,
so no stretch of text is re-read from many start positions: a megabyte parses in linear time.
"""
from __future__ import annotations

import functools
import re
from typing import Any

from ..support.lexicon import Lexicon
from ..support.screen import longest_words

__all__ = ["FigureTables", "norm_phrase", "tables"]

# Speed: a figure starts only after a non-word character and with a digit, a currency sign or one
# of a few words (<ANY>), so most positions fail at the first test; <plain> takes digits that
# nothing after them could extend (<CONT>), so the commonest figure skips the long branch; times,
# day-month dates and ordinals hang off the number, which is read once; <AFTER> glances ahead
# before ranges, units and bounds are tried; (?:X|) runs faster than (?:X)?. Links and phone
# numbers are matched only to be thrown away.
_FIGURE = r"""(?<![\w.,/#@:=&?%])(?=[\d+(]|<ANY>)(?:
 (?P<skip>(?:https?://|www\.)\S+|\+\d{1,3}(?:[\s.-]?\(?\d{1,4}\)?){2,5}
    |\(?\d{3}\)?[\s.-]\d{3}[.-]\d{4}(?!\d)|0\d{2,4}[\s-]\d{3,4}[\s-]?\d{3,4}(?!\d))
|(?P<plain>(?<!\w-)\d+(?!\w|[.,:/]\d|,\s\d{3}(?!\d)|@|\s*(?:[-\u2013\u2014%]|\+(?!\d)|<AMPM>|(?:<CONT>)(?!\w))))
|(?P<date>\b(?P<mon1><MONTHS>)\b\.?\s+(?P<day1>\d{1,2})(?i:st|nd|rd|th|)(?!\w)(?:,?\s+\d{4}(?!\w)|))
|(?P<ord>\b(?:(?P<otens><TENS>)-|)(?P<oword><ORDINALS>)(?i:-most|)(?!\w))
|(?P<fig>(?=<FIRST>)
  (?:\b(?P<aged>(?i:aged|ages?))\s+|)
  (?:\b(?P<pre><BOUNDS>)\s+|)
  (?:\b(?P<btw>(?i:between|from))\s+|)
  (?P<a>(?:(?P<cura><CUR>)\s?|)
    (?:(?<![\w.,/#@:])(?<!\w-)(?P<numa><NUM>)
       (?:(?P<clock>:\d{2}(?!\d)(?:\s*<AMPM>|)|\s*<AMPM>)
         |(?i:st|nd|rd|th|)(?P<dmon>\s+(?i:of\s+|)(?P<mon2><MONTHS>)\b\.?(?:,?\s+\d{4}(?!\w)|))
         |(?P<osuf>(?i:st|nd|rd|th))
         |(?P<multa><MULT>)
         |)
      |(?P<vague>\b(?:<VAGUE>)(?:\s+(?P<vscale><SCALES>)|)(?!\w))
      |(?P<pair>\b[aA][nN]?\s+(?:[^\W\d_]+\s+){0,2}?(?:<PAIRS>)(?!\w))
      |(?P<single>\b(?:<SINGLES>)(?!\w))
      |(?P<worda>\b<WORDNUM>)))
  (?(clock)|(?(dmon)|(?(osuf)|(?:(?=<AFTER>)
    (?:(?P<rng>(?:\s*[-\u2013\u2014]\s*|\s+(?i:to|or)\s+|(?(btw)\s+(?i:and)\s+|(?!)))
      (?P<b>(?:(?P<curb><CUR>)\s?|)(?:(?<![\w.,])(?P<numb><NUM>)(?:(?P<multb><MULT>)|)|(?P<wordb>\b<WORDNUM>))))|)
    (?:(?P<unit>(?:\s*|-)(?:<MEASURES>)(?![\w/]))|)
    (?:(?P<post>\s*(?:<SUFFIX>))|)|))))
  (?![\w@]|[/:,]\d)))
"""
_AM_PM = r"[aApP](?:\.[mM]\.?|[mM](?!\w))"  # "p.m." keeps its dot; "3pm." leaves the full stop
# "2, 000" (a space after the comma) is how tokenised corpora print 2,000.
_NUM = r"(?:\d{1,3}(?:,[ ]?\d{3})+(?!\d)|\d+)(?:\.\d+|)"
_SMALL = r"(?:<TENS>)(?:[-\s](?:<UNITS>)(?!\w)|)|(?:<TEENS>)|(?:<UNITS>)"
_WORDNUM = (r"(?:<SMALL>|[aA][nN]?(?=\s+(?:<SCALES>)\b))(?:\s+(?i:hundred)(?:\s+(?i:and\s+|)(?:<SMALL>)|)|)"
            r"(?:[\s-]+(?:<SCALES>)(?!\w)|)")
# Clause ends, cue words and revision verbs, read in the same pass as the figures. The clause-end
# branches start with a character class, which the engine skips at once where it does not match.
_CONTEXT = r"""
|[;:!?,()\[\]](?P<bd>)|\s[-\u2013\u2014]+\s(?P<dash>)|\.(?=\s)(?P<stop>)
|(?<!\w)(?=(?:<CTX>)(?!\w))(?:(?P<bw><CLAUSE>)|(?P<another><ANOTHER>)(?=\s)
   |(?:<VERBS>)\b(?:\s+[^\W\d]+){0,3}?\s+(?i:to|at)|<CUES>)(?!\w)"""


def norm_phrase(s: str) -> str:
    return " ".join(s.lower().split())


def _heads(phrases: Any) -> set[str]:
    """The first word of each phrase, without signs: "US$" -> "US", "twenty-one" -> "twenty"."""
    return {m.group() for m in (re.match(r"[^\W_]+\*?", str(p)) for p in phrases) if m}


def _trie(words: Any, fold: bool = True) -> str:
    """Phrases as a regex trie, so the engine tests a letter or two at each position rather than
    every phrase (a flat alternation of a few hundred phrases made a megabyte take seconds).
    Spaces match any whitespace; a trailing * matches any word ending ("evacuat*")."""
    root: dict[str, dict] = {}
    for word in words:
        node = root
        for tok in re.findall(r"\s+|\*$|.", str(word).strip().lower() if fold else str(word).strip()):
            node = node.setdefault(" " if tok.isspace() else tok, {})
        node[""] = {}

    def char(k: str) -> str:  # [aA] rather than re.I: the engine skips a branch on a class at once
        if k in (" ", "*"):
            return r"\s+" if k == " " else r"\w*"
        return f"[{k}{k.upper()}]" if fold and k.upper() != k and len(k.upper()) == 1 else re.escape(k)

    def emit(node: dict[str, dict]) -> str:
        alts = [char(k) + emit(child)
                for k, child in sorted(node.items(), key=lambda kv: (kv[0] == "*", kv[0])) if k]
        body = "" if not alts else alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body}|)" if body and "" in node else body

    return emit(root) or "(?!)"


class FigureTables:
    """Everything quantities.yaml says, as lookups and one compiled pattern."""

    def __init__(self, d: dict[str, Any]):
        n = d["numbers"]
        self.small = {str(k).lower(): float(v) for part in ("units", "teens", "tens") for k, v in n[part].items()}
        self.scales = {str(k).lower(): float(v) for k, v in n["scales"].items()}
        self.multipliers = {**{str(k).lower(): float(v) for k, v in n["abbreviations"].items()}, **self.scales}
        self.ordinals = {str(k).lower(): int(v) for k, v in n["ordinals"].items()}
        # "a third" -> 3, "another" -> 2: the place in a count that one more person takes
        self.one_more = {**{norm_phrase(w): self.ordinals.get(norm_phrase(w).split()[-1], 2) for w in n["one_more"]},
                         **{norm_phrase(w): 2 for w in n["one_more_alone"]}}
        self.vague = {norm_phrase(k): (v[0], v[1]) for k, v in d["vague"].items()}
        self.bounds = {norm_phrase(w): kind for kind, ws in d["bounds"].items() for w in ws}
        self.suffix = {norm_phrase(w): kind for kind, ws in d["suffix_bounds"].items() for w in ws}
        self.months = {str(k).lower(): int(v) for k, v in d["months"].items()}
        self.month_abbrevs = {k for k in self.months if any(o != k and o.startswith(k) for o in self.months)}
        self.time_point = re.compile(rf"\s+(?:{_trie(d['time_points'])})(?!\w)", re.I)
        self.lasting = re.compile(rf"(?<!\w)(?:{_trie(d['lasting'])})\s+(?:\w+\s+){{0,2}}$", re.I)
        self.units = {norm_phrase(w): (spec.get("unit", code), spec["category"])
                      for code, spec in d["units"].items() for w in spec["words"]}
        self.units.update({norm_phrase(w): (code, "money") for code, spec in d["currencies"].items() for w in spec["words"]})
        self.symbols = {str(s).lower(): code for code, spec in d["currencies"].items() for s in spec["symbols"]}
        self.pound_words = {norm_phrase(w) for w in d["pounds"]["words"]}
        self.pound_currency, self.pound_scale = d["pounds"]["currency"], float(d["pounds"]["min_scale"])
        self.counted_only, self.casualty, self.people, self.stop, self.after, self.partitive, self.year_words = (
            frozenset(norm_phrase(str(w)) for w in d[key])
            for key in ("counted_only", "casualty", "people", "stop", "additive_after", "partitive", "year_words"))
        self.categories, self.change_kinds = list(d["categories"]), list(d["changes"])
        # "shot three people, killing one": a lone "one" right after a casualty verb counts.
        self.casualty_verbs_category = {norm_phrase(str(w)): category
                                        for category, ws in d.get("casualty_verbs", {}).items() for w in ws}
        self.casualty_verbs = frozenset(self.casualty_verbs_category)
        cues = {c: ws for c, ws in d["categories"].items() if c not in self.counted_only}
        symbols = sorted(self.symbols, key=lambda s: (-len(s), s))
        sym = "".join(sorted({re.escape(s[0]) for s in symbols if not s[0].isalnum()}))
        starts = ["aged", "ages", "age", "between", "from", "a", "an", *n["units"], *n["teens"], *n["tens"],
                  *n["singles"], *n["one_more"], *n["one_more_alone"], *self.bounds, *self.vague, *(s for s in symbols if s[0].isalpha())]
        subs = {  # in order: the first ones bring in later placeholders
            "<NUM>": _NUM, "<AMPM>": _AM_PM, "<WORDNUM>": _WORDNUM, "<SMALL>": _SMALL,
            "<MULT>": rf"\s*(?:<SCALES>)(?!\w)|(?:{_trie(n['abbreviations'])})(?!\w)", "<SCALES>": _trie(self.scales),
            "<MONTHS>": _trie(d["months"], fold=False), "<TENS>": _trie(n["tens"]), "<UNITS>": _trie(n["units"]),
            "<TEENS>": _trie(n["teens"]), "<ORDINALS>": _trie(n["ordinals"]), "<BOUNDS>": _trie(self.bounds),
            "<VAGUE>": _trie(self.vague), "<PAIRS>": _trie(n["pairs"]), "<SINGLES>": _trie([*n["singles"], *n["one_more"]]) + rf"|(?:{_trie(n['one_more_alone'])})(?=\s+(?:(?i:was|were)\s+|)"
                         rf"(?:{_trie(w for c in d['casualty'] for w in d['categories'][c])})(?!\w))",
            "<SUFFIX>": _trie(self.suffix), "<MEASURES>": _trie(self.units),
            "<CUR>": rf"\b(?:{_trie(s for s in symbols if s[0].isalnum())})|{_trie(s for s in symbols if s[0] in sym)}",
            "<ANY>": rf"[{sym}]|(?:{_trie(_heads((*starts, 'http', 'https', 'www', *self.months, *n['ordinals'])))})(?!\w)",
            "<FIRST>": rf"(?<![\w.,/#@:])(?<!\w-)\d|[{sym}]|(?:{_trie(_heads(starts))})(?!\w)",
            "<AFTER>": rf"\s*(?:[-\u2013\u2014+%]|{_trie(_heads(('to', 'or', 'and', *self.units, *self.suffix)))})",
            "<CONT>": _trie(_heads(("to", "or", "and", "of", *self.units, *self.suffix, *self.scales, *self.months))),
            "<CTX>": _trie(_heads([*d["clause_words"], *d["additive_before"], *(w for ws in cues.values() for w in ws),
                                   *(w for ws in d["changes"].values() for w in ws)])),
            "<CLAUSE>": _trie(d["clause_words"]), "<ANOTHER>": _trie(d["additive_before"]),
            "<VERBS>": "|".join(f"(?P<k{i}>{_trie(d['changes'][k])})" for i, k in enumerate(self.change_kinds)),
            "<CUES>": "|".join(f"(?P<c{self.categories.index(c)}>{_trie(ws)})" for c, ws in cues.items()),
        }
        figure, context = _FIGURE, _CONTEXT
        for key, value in subs.items():
            figure, context = figure.replace(key, value), context.replace(key, value)
        self.scan = re.compile(figure + context, re.X)
        # The figure branches alone: where they match nowhere, the scan finds no figure, and the
        # clause ends and cue words it would read matter to none. Two sentences in three have no
        # figure, and this search costs a third of the scan.
        self.any_figure = re.compile(figure, re.X)
        # Every figure holds a digit or, at a word's start, a number word (in any case; a phrase's
        # longest word stands for it), so a sentence with neither holds none: screening the
        # lower-cased sentence for them costs a fraction of any_figure's search. (Lower-casing
        # keeps every word's start; the tries match a letter in either case, as lower() folds it.)
        words = [*n["units"], *n["teens"], *n["tens"], *n["scales"], *n["singles"], *n["one_more"], *n["one_more_alone"], *n["ordinals"], *n["pairs"],
                 *d["vague"]]
        heads = set(longest_words(str(w).strip().lower().rstrip("*") for w in words))
        self.number_words = re.compile(rf"\b(?:{_trie(heads, fold=False)})") if all(heads) else None
        self.items: dict[str, tuple[str, Any] | None] = {"bd": None, "dash": None, "stop": None, "bw": None,
                                                         "another": ("another", None)}
        self.items.update({f"c{i}": ("cue", c) for i, c in enumerate(self.categories)})
        self.items.update({f"k{i}": ("change", k) for i, k in enumerate(self.change_kinds)})
        self.nouns = re.compile("|".join(f"(?P<c{i}>{_trie(d['categories'][c])})" for i, c in enumerate(self.categories)))
        self.change_end = re.compile(rf"\b(?:{subs['<VERBS>']})\s+$")
        self.noun_category = functools.lru_cache(maxsize=1 << 16)(self._noun_category)

    def _noun_category(self, word: str) -> str | None:
        m = self.nouns.fullmatch(word.lower())
        return self.categories[int(m.lastgroup[1:])] if m and m.lastgroup else None


@functools.lru_cache(maxsize=16)
def tables(lexicon: Lexicon) -> FigureTables:
    return FigureTables(lexicon.get("quantities"))
