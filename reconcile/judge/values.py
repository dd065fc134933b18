"""Values: what each sentence gives a fact. A figure as an interval in a base unit, or a slot's
word (the weapon, a condition), with the measure it counts, the person it is of, the event it
belongs to and its scope. facts.py groups the values of all sources into facts and judges them."""
from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass

from ..claims.figure_pattern import norm_phrase
from ..claims.figure_pattern import tables as figure_tables
from .figures import interval, not_names, places_of, scope_of
from ..support.lexicon import DEFAULT, Lexicon, words_alternation
from ..models import Claim, Quantity

__all__ = ["Value", "values_of", "persons_in", "fact_label", "case_years_of"]

# Measures whose figures are dates or ranks, never compared as values of a fact.
NOT_MEASURES = ("rank", "year", "date", "time")
# Measures of the event as a whole: they belong to no person the sentence names ("six killed,
# including Mr Rait" is the avalanche's toll).
EVENT_MEASURES = ("killed", "injured", "missing", "arrested", "evacuated", "displaced", "rescued", "troops",
                  "aircraft", "money", "magnitude")
# Sums of money below this many units are too small to contradict on (agreeing is fine).
PETTY_SUM = 100.0


@dataclass(frozen=True)
class Value:
    """One source's value for a fact: a figure as an interval in a base unit, or a slot's word."""

    claims: tuple[Claim, ...]  # the evidence; the last one states the value, the others were added in
    measure: str  # "killed", "distance", "age", "counted:children", "slot:weapon"
    low: float
    high: float
    label: str  # how the value reads in a summary: "at least 4", "150 m", "shotgun"
    holder: str | None = None  # the person it is of, by surname
    tags: frozenset[str] = frozenset()  # what identifies whom it is of: the holder, "age:36"
    era: str = ""  # "" for the event the articles cover; else the background it belongs to
    scope: str = "event"  # or "total": a running count ("nationwide", "so far")
    places: frozenset[str] = frozenset()
    subset: bool = False  # "12 of them": a part of another count
    change: str | None = None  # "rose" or "fell": the sentence revises an earlier figure
    vague: bool = False  # "several", "dozens": too loose to contradict anything
    rounding: float = 0.0  # share an exact measure may be off by rounding ("40 feet" for 39)
    # A key too loose to contradict on: "two mothers" and "three mothers" may count different
    # groups. Such values agree when equal; they never conflict.
    weak: bool = False

    @property
    def claim(self) -> Claim:
        return self.claims[-1]

    @property
    def source_id(self) -> str:
        return self.claim.source_id


@functools.lru_cache(maxsize=8)
def _tables(lexicon: Lexicon) -> dict:
    facts = lexicon.get("facts")
    words = lambda items: re.compile(rf"\b(?:{words_alternation(items)})\b", re.I)  # noqa: E731
    subset = facts.get("subset") or {}
    specs = {**(facts.get("slots") or {}), **(facts.get("opposites") or {})}
    slots = {}
    for slot, spec in specs.items():
        phrases = sorted(((p, value) for value, ps in spec["values"].items() for p in ps), key=lambda x: -len(x[0]))
        slots[slot] = (spec.get("label", slot), words(spec.get("cues") or []),
                       re.compile(r"\b(" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p, _ in phrases) + r")\b", re.I),
                       {p.lower(): value for p, value in phrases})
    return {
        "conversions": {unit: (base, float(factor)) for unit, (base, factor) in (facts.get("conversions") or {}).items()},
        "rounding": {k: float(v) for k, v in (facts.get("rounding") or {}).items()},
        "title_words": frozenset(t.lower() for t in facts.get("person_titles") or []),
        "titles": re.compile(rf"\b(?:{words_alternation(facts.get('person_titles') or [])})\.?\s+((?:[A-Z][\w'\u2019-]+\s+)*[A-Z][\w'\u2019-]+)"),
        "background": words(facts.get("background") or []),
        "subset_before": re.compile(rf"\b(?:{words_alternation(subset.get('before') or [])})\s*$", re.I),
        "subset_after": re.compile(rf"^\W*(?:\w+\W+){{0,4}}?(?:{words_alternation(subset.get('after') or [])})\b", re.I),
        "subset_sentence": words(subset.get("sentence") or []),
        "named_before": tuple((measure, re.compile(rf"\b(?:{words_alternation(phrases)})\s*$", re.I))
                              for measure, phrases in sorted((facts.get("named_before") or {}).items())),
        "qualifiers": {measure: words(phrases) for measure, phrases in (facts.get("qualifiers") or {}).items()},
        "among": tuple((category, words(phrases)) for category, phrases in sorted((facts.get("among") or {}).items())),
        "slots": slots,
        # each slot's words, every one of which any of its phrases holds at least one of
        "slot_words": tuple((slot, frozenset(w.lower().strip("'\"") for phrases in spec["values"].values()
                                             for p in phrases for w in re.findall(r"[\w'.-]+", p)
                                             if w.lower() not in _SLOT_FILLERS))
                            for slot, spec in specs.items()),
        "verbs": {k.lower(): v for k, v in (facts.get("irregular_verbs") or {}).items()},
        "skip": frozenset(w.lower() for w in (facts.get("head_skip") or []) + lexicon.get("words").get("stopwords", [])
                          if w.lower() not in (facts.get("irregular_verbs") or {})),
        "labels": dict(facts.get("labels") or {}),
        "one_more": figure_tables(lexicon).one_more,
        "parent_of": re.compile(rf"\b(?:{words_alternation(facts.get('parents') or [])})\s+of\s*$", re.I),
        "relational": re.compile(rf"(?:\b(?:his|her|their|its)|['\u2019]s|\b(?:{words_alternation(facts.get('parents') or [])})"
                                 r"\s+of)\s+(?:\w+\s+)?$", re.I),
    }


# Words too common to screen for a slot by ("died at the scene": "scene" screens, "the" does not).
_SLOT_FILLERS = frozenset("a an the at of to in on was were is are not no by with for".split())
_NAME_RUN = r"[A-Z][\w'\u2019-]+(?:\s+[A-Z][\w'\u2019-]+)+"
_AGED_NAME = re.compile(rf"\b\d{{1,3}}-year-old\s+(?:[A-Z][a-z]+\s+)?({_NAME_RUN})")
_NAME_AGED = re.compile(rf"({_NAME_RUN}),\s+(?:aged\s+)?\d{{1,3}}\s*[,)]")
_POSSESSIVE = re.compile(r"['\u2019]s$")


def persons_in(claims: list[Claim], lexicon: Lexicon = DEFAULT) -> frozenset[str]:
    """Surnames of the people the articles speak of: a name after a title ("Mr Rait") or a full
    name beside an age ("36-year-old Duncan Rait", "Robert Buckley, 32,")."""
    tables = _tables(lexicon)
    skip = not_names(lexicon)
    found: set[str] = set()
    titles = tables["title_words"]
    for claim in claims:
        text = claim.sentence.text
        patterns = ([tables["titles"]] if not titles.isdisjoint(_words_of(claim.norm)) else []) + \
            ([_AGED_NAME, _NAME_AGED] if claim.quantities else [])
        for pattern in patterns:
            for match in pattern.finditer(text):
                last = _POSSESSIVE.sub("", match.group(1).split()[-1])
                if last not in skip and len(last) > 1:
                    found.add(last)
    return frozenset(found)


_AGE_APPOSITION_BEFORE = re.compile(r"[A-Z][\w'\u2019-]+,\s*(?:aged\s+)?$")
_AGE_APPOSITION_AFTER = re.compile(r"^\s*[,)]")


def _is_age(claim: Claim, q: Quantity) -> bool:
    """"36-year-old", or a bare number set off after a name: "Robert Buckley, 32, died"."""
    if q.category == "age":
        return True
    if q.category is not None or q.unit or q.value is None or not (0 < q.value < 120) or q.bound != "exact":
        return False
    text, at = claim.sentence.text, q.start - claim.sentence.start
    return bool(_AGE_APPOSITION_BEFORE.search(text[:at])) and bool(_AGE_APPOSITION_AFTER.match(text[at + len(q.text):]))


def _measure(claim: Claim, q: Quantity, lexicon: Lexicon = DEFAULT) -> str | None:
    """What a figure measures: a category, "age", "counted:<noun>", or None (not a fact's value)."""
    if _is_age(claim, q):
        return "age"
    tables = _tables(lexicon)
    before = claim.sentence.text[:q.start - claim.sentence.start]
    if q.category is None and not q.unit:
        for measure, pattern in tables["named_before"]:
            if pattern.search(before):
                return measure  # "a magnitude of 5.4"
    if q.category in NOT_MEASURES or q.category == "age":
        return None
    if not q.unit and q.bound != "vague" and tables["parent_of"].search(before):
        return "counted:child"  # "a mother of 12", whatever the rest of the sentence counts
    if q.category is None:
        if q.unit or not q.counted or q.bound == "vague":
            return None
        noun = q.counted.lower()
        for category, pattern in tables["among"]:
            if pattern.search(claim.sentence.text, q.end - claim.sentence.start):
                return category  # "a young couple ... was among those killed"
        if noun in _people_words(lexicon) and not tables["relational"].search(before):
            return None  # "two men", "three people": of what, the sentence's verb says, not the noun
        return "counted:" + _singular(noun)
    return q.category


@functools.lru_cache(maxsize=8)
def _people_words(lexicon: Lexicon) -> frozenset[str]:
    return frozenset(w.lower() for w in lexicon.get("quantities").get("people", []))


def _singular(noun: str) -> str:
    if noun.endswith("ies") and len(noun) > 4:
        return noun[:-3] + "y"
    if noun.endswith("ren"):  # children
        return noun[:-3]
    return noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun


def plural(noun: str) -> str:
    """The plural `_singular` undoes: child -> children, city -> cities, shell -> shells."""
    if noun.endswith("child"):
        return noun + "ren"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun if noun.endswith("s") else noun + "s"


def _surname_spans(text: str, persons: frozenset[str], exclude: frozenset[str]) -> list[tuple[int, str]]:
    return [(m.start(), name) for m in re.finditer(r"\b([A-Z][\w'\u2019-]+)", text)
            for name in [_POSSESSIVE.sub("", m.group(1))] if name in persons and name not in exclude]


def _nearest(spans: list[tuple[int, str]], at: int, end: int) -> str | None:
    """The person a figure is of: the last one named before it (the subject it follows),
    else the first one after it."""
    before = [name for start, name in spans if start < at]
    if before:
        return before[-1]
    after = [name for start, name in spans if start >= end]
    return after[0] if after else None


def _age_holder(text: str, at: int, end: int, spans: list[tuple[int, str]]) -> str | None:
    """The person an age is of: the name just after "36-year-old", or just before ", 32,"."""
    after = [name for start, name in spans if end <= start <= end + 40]
    gap = text[end:min((s for s, _ in spans if s >= end), default=end)]
    if after and re.fullmatch(r"[\s\w'\u2019-]*", gap) and not re.search(r"\b[a-z]{4,}\b", gap.replace("year-old", "")):
        return after[0]
    before = [name for start, name in spans if at - 45 <= start < at]
    if before and re.search(r",\s*(?:aged\s+)?$", text[:at]):
        return _POSSESSIVE.sub("", before[-1])
    return None


# Measures that say nothing of what they measure without the word they hang on: "fell 150 m" and
# "chased him for 30 miles" are two facts.
HEADED = ("distance", "duration", "time ago", "percent")


_TOKEN = re.compile(r"[A-Za-z][a-z'\u2019-]*")


def _head(text: str, at: int, tables: dict) -> str:
    """The word a measure hangs on: the nearest content word before it in its clause ("falling
    about 150 m" -> fall), irregular verbs mapped to their base ("fell" -> fall)."""
    from ..claims.text import stem

    before = re.split(r"[,;:()\u2014]|\s-\s", text[:at])[-1]
    for token in reversed(_TOKEN.findall(before)[-5:]):
        word = token.lower()
        if token[0].isupper() and word not in tables["verbs"]:
            continue
        if word in tables["skip"]:
            continue
        word = tables["verbs"].get(word, word)
        return stem(word)
    return ""


def _base(q: Quantity, conversions: dict) -> tuple[str, float]:
    if q.unit and q.unit in conversions:
        return conversions[q.unit]
    return q.unit or "", 1.0


def _number(value: float) -> str:
    if value == float("inf"):
        return "?"
    return f"{int(value):,}" if float(value).is_integer() else f"{round(value, 2):,}"


_BOUND_WORDS = {"at_least": "at least", "more_than": "more than", "at_most": "up to", "less_than": "fewer than",
                "about": "about"}


def _label(q: Quantity, low: float, added: bool) -> str:
    """A count as a number ("Nine" -> 9, "at least 4"); a measure as written, in its own unit."""
    if added:
        return f"at least {_number(low)}"
    if q.unit or q.value is None or q.bound in ("vague", "range"):
        return q.text.strip()
    word = _BOUND_WORDS.get(q.bound)
    return f"{word} {_number(q.value)}" if word else _number(q.value)


def values_of(claims: tuple[Claim, ...], persons: frozenset[str], case_years: frozenset[float] = frozenset(),
              lexicon: Lexicon = DEFAULT) -> list[Value]:
    """The values one source states, in text order. A denied, rumoured or doubted sentence states
    none; "four *other* people died" adds to the last figure of its kind."""
    tables = _tables(lexicon)
    out: list[Value] = []
    last: dict[str, Value] = {}
    for claim in claims:
        if claim.modality in ("uncertain", "rumour") or claim.polarity == "denied":
            continue
        slots = _slots_named(claim, tables)
        if not claim.quantities and not slots:
            continue  # most sentences: nothing a fact could take
        text = claim.sentence.text
        exclude = frozenset(claim.speaker.split()) if claim.speaker else frozenset()
        spans = _surname_spans(text, persons, exclude) if persons else []
        era = _era(claim, case_years, tables)
        where = None
        figures = [(q, measure) for q in claim.quantities for measure in [_measure(claim, q, lexicon)] if measure]
        age_of = {id(q): _age_holder(text, q.start - claim.sentence.start, q.end - claim.sentence.start, spans)
                  for q, measure in figures if measure == "age"}
        ages = [(age_of[id(q)], q.value) for q, measure in figures if measure == "age"]
        for q, measure in figures:
            at = q.start - claim.sentence.start
            end = at + len(q.text)
            if measure == "age":
                holder = age_of[id(q)]
                tags = frozenset([holder]) if holder else frozenset()  # "a 63-year-old woman": see facts_of
            else:
                # A toll, an arrest count or a sum is the event's, whoever the sentence names.
                holder = None if measure in EVENT_MEASURES else _nearest(spans, at, end)
                tags = frozenset(([holder] if holder else []) +
                                 [f"age:{int(v)}" for who, v in ages if who == holder and v is not None])
            if where is None:
                where = {"scope": scope_of(claim, lexicon), "places": places_of(claim, lexicon)}
            base, factor = ("", 1.0) if measure == "age" else _base(q, tables["conversions"])
            head = _head(text, at, tables) if q.category in HEADED else ""
            if q.category in HEADED and not head:
                continue  # "15 minutes", "50 miles": of what, nothing near says
            low, high = interval(q)
            low, high = low * factor, high * factor
            previous, change = last.get(measure), q.change
            # "Four were killed at the scene and five other people died later": the same
            # sentence or an earlier one, "other" adds to the figure before it.
            added = q.additive and previous is not None
            if added:
                low, high = previous.low + low, float("inf")
            elif q.additive and norm_phrase(q.text) in tables["one_more"] and \
                    not any(other.start < q.start for other, kind in figures if kind != measure):
                # "A second victim died in hospital", with no figure before it: the toll is at
                # least two (after "killing two and wounding a third" the third is one wounded).
                low, high = float(tables["one_more"][norm_phrase(q.text)]), float("inf")
                added, change = True, "rose"  # one more than the toll before it: a revision
            subset = _coordinated(text[end:end + 40], text[max(0, at - 40):at], lexicon) or \
                bool(tables["subset_before"].search(text[max(0, at - 30):at])) or \
                bool(tables["subset_after"].search(text[end:end + 60])) or \
                bool(tables["subset_sentence"].search(text))
            category = q.category or ("age" if measure == "age" else None)
            weak = (measure.startswith("counted:") and measure != "counted:child" and not tables["relational"].search(text[:at])) \
                or (measure == "age" and holder is None) \
                or (measure == "money" and high < PETTY_SUM)  # "$2": a price, or a figure broken in two
            value = Value(
                claims=tuple(dict.fromkeys((previous.claims if added and previous else ()) + (claim,))),
                measure=":".join(part for part in (measure, base, head, _qualifier(measure, text, tables)) if part),
                low=low, high=high, label=_label(q, low, added), holder=holder, tags=tags, era=era,
                subset=subset, change=change, vague=q.bound == "vague", weak=weak,
                rounding=0.0 if q.bound in ("vague", "about") else tables["rounding"].get(category or "", 0.0), **where)
            out.append(value)
            last[measure] = value
        out.extend(_slot_values(claim, spans, era, tables, slots))
    return out


def _qualifier(measure: str, text: str, tables: dict) -> str:
    """A word of the sentence that makes the measure's fact another ("aftershock")."""
    pattern = tables["qualifiers"].get(measure)
    found = pattern.search(text) if pattern else None
    return found.group(0).lower().rstrip("s") if found else ""


def _slots_named(claim: Claim, tables: dict) -> tuple[str, ...]:
    """The slots whose words the sentence holds, by a set lookup of its words: the phrase
    patterns run only where one of their words is."""
    words = _words_of(claim.norm)
    return tuple(slot for slot, keys in tables["slot_words"] if not keys.isdisjoint(words))


@functools.lru_cache(maxsize=1 << 16)
def _words_of(norm: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z0-9]+(?:['.-][a-z0-9]+)*", norm))


def _slot_values(claim: Claim, spans: list[tuple[int, str]], era: str, tables: dict,
                 slots: tuple[str, ...]) -> list[Value]:
    """The words of a slot the sentence fills: "with a shotgun" gives the weapon."""
    if claim.polarity != "affirmed" or not slots:
        return []  # "urged people not to go unprepared": a negation may turn any value round
    text = _QUOTE_MARKS.sub(" ", claim.sentence.text)  # '"insufficiently" equipped'
    out = []
    for slot in slots:
        label, cues, pattern, values = tables["slots"][slot]
        found = {values[" ".join(m.group(1).lower().split())]: m for m in pattern.finditer(text)}
        if len(found) != 1 or not cues.search(text):
            continue  # two values of one slot in one sentence compare them; it states neither
        value, match = next(iter(found.items()))
        holder = _slot_holder(spans, match.start(), match.end()) if slot != "weapon" else None
        out.append(Value(claims=(claim,), measure=f"slot:{slot}", low=0.0, high=0.0, label=value, holder=holder,
                         tags=frozenset([holder]) if holder else frozenset(), era=era))
    return out


@functools.lru_cache(maxsize=8)
def _coordination(lexicon: Lexicon) -> tuple[re.Pattern, re.Pattern]:
    """A figure, a word or two, "and", another figure: after a figure, and before one."""
    numbers = lexicon.get("quantities")["numbers"]
    number = rf"(?:{words_alternation([*numbers['units'], *numbers['teens']])}|\d+)"
    words = r"([A-Za-z'-]+(?:\s+[A-Za-z'-]+)?)"
    return (re.compile(rf"^\s+{words}\s+and\s+(?:another|{number})\b", re.I),
            re.compile(rf"\b{number}\s+{words}\s+and\s+$", re.I))


def _coordinated(after: str, before: str, lexicon: Lexicon) -> bool:
    """"One Australian and one English climber died": each figure is a part of the toll (but
    "4 killed and 10 injured" counts two things)."""
    cues = _cue_words(lexicon)
    ahead, behind = _coordination(lexicon)
    return any(match is not None and not set(match.group(1).lower().split()) & cues
               for match in (ahead.match(after), behind.search(before)))


@functools.lru_cache(maxsize=8)
def _cue_words(lexicon: Lexicon) -> frozenset[str]:
    quantities = lexicon.get("quantities")
    nouns = set(quantities.get("counted_only") or ())  # "troops" names what is counted, not what befell them
    return frozenset(w.lower() for category, words in (quantities.get("categories") or {}).items()
                     if category not in nouns for phrase in words for w in phrase.rstrip("*").split())


_QUOTE_MARKS = re.compile(r"[\"\u201c\u201d\u2018\u2019']")


def _slot_holder(spans: list[tuple[int, str]], at: int, end: int) -> str | None:
    """A word is of the one person the sentence names; with people on both sides of it, of
    neither for sure ("after Rait's death an ill-equipped climber, Robert Buckley, ...")."""
    before = {name for start, name in spans if start < at}
    after = {name for start, name in spans if start >= end}
    if before and after and before != after:
        return None
    return _nearest(spans, at, end)


# "the 2001 attack", "in 2011": a year that names another event, wherever the figure reader
# took the number for a count.
_YEAR_OF_EVENT = re.compile(r"\b(?:the|in|during|of)\s+((?:19|20)\d\d)\b(?![,.]\d)")
_YEAR_REFERENCE = re.compile(r"\b(?:since|before|after|than|until|till|as of)\s*$", re.I)


def _era(claim: Claim, case_years: frozenset[float], tables: dict) -> str:
    """"" for the articles' own event; a background year or "background" for another one."""
    text = claim.sentence.text
    years = sorted({q.value for q in claim.quantities if q.category == "year" and q.value not in case_years
                    and not _YEAR_REFERENCE.search(text[:q.start - claim.sentence.start][-20:])}
                   | {float(m.group(1)) for m in _YEAR_OF_EVENT.finditer(text) if float(m.group(1)) not in case_years})
    if years:
        return f"year:{int(years[0])}"
    if tables["background"].search(text):
        return "background"
    return ""


def case_years_of(by_source: dict[str, list[Claim]]) -> frozenset[float]:
    """Years that at least two sources name: the articles' own, not background."""
    counts: dict[float, int] = defaultdict(int)
    for claims in by_source.values():
        for year in {q.value for c in claims for q in c.quantities if q.category == "year"}:
            counts[year] += 1
    return frozenset(y for y, n in counts.items() if n >= 2)


def fact_label(measure: str, lexicon: Lexicon = DEFAULT) -> str:
    """How a measure is named in a topic ("killed" -> "death toll")."""
    return _tables(lexicon)["labels"].get(measure, measure)
