"""The furniture rules of reconcile/data/furniture.yaml (via the lexicon), compiled once per
lexicon into the five rule types clean (__init__.py) applies: marker, prefix, line, caps, unpunctuated."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ..errors import ConfigError
from ..support.lexicon import Lexicon
from ..support.screen import Screen, longest_words

HEAD_WINDOW = 200  # `starts` phrases are looked for in the first characters of a line
TAIL_WINDOW = 200  # `ends` phrases in the last ones


@dataclass(frozen=True)
class Marker:
    id: str
    patterns: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class Prefix:
    id: str
    window: int
    patterns: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class LineRule:
    id: str
    max_chars: int
    exact: frozenset[str]
    starts: re.Pattern[str] | None
    ends: re.Pattern[str] | None
    patterns: tuple[re.Pattern[str], ...]
    # Searching `ends` tries every position of the window; most lines lack the words of its phrases.
    ends_screen: Screen | None = None


@dataclass(frozen=True)
class CapsRule:
    id: str
    max_chars: int
    min_words: int
    min_ratio: float
    min_long_words: int
    long_word: int
    acronyms: frozenset[str]


@dataclass(frozen=True)
class UnpunctuatedRule:
    id: str
    min_words: int
    max_words: int  # 0: no limit
    max_sentences: int  # 0: no limit


@dataclass(frozen=True)
class Rules:
    markers: tuple[Marker, ...]
    prefixes: tuple[Prefix, ...]
    whole_line: tuple[LineRule | CapsRule, ...]
    unpunctuated: tuple[UnpunctuatedRule, ...]
    terminals: frozenset[str]
    closers: frozenset[str]
    continuations: frozenset[str]
    not_unpunctuated: tuple[re.Pattern[str], ...]
    sentence_end: re.Pattern[str]
    headline_lines: int
    guard: float
    marker_screen: Screen  # which markers can occur in a line (index in `markers`), from their `needles`


def _compile(pattern: str, where: str, flags: int = 0) -> re.Pattern[str]:
    try:
        return re.compile(pattern, flags)
    except (re.error, TypeError) as exc:
        raise ConfigError(f"lexicon furniture.{where}: bad pattern {pattern!r}: {exc}") from None


def _phrases(phrases: list[str], *, at_end: bool) -> str:
    """An alternation of literal phrases (longest first) that must start/end at word edges."""
    alts = []
    for phrase in sorted({str(p).strip() for p in phrases if str(p).strip()}, key=lambda s: (-len(s), s)):
        alt = r"\s+".join(re.escape(part) for part in phrase.split())
        if at_end and (phrase[0].isalnum() or phrase[0] == "_"):
            alt = r"(?<!\w)" + alt
        if not at_end and (phrase[-1].isalnum() or phrase[-1] == "_"):
            alt += r"(?!\w)"
        alts.append(alt)
    return "|".join(alts)


def normal_line(line: str) -> str:
    return " ".join(line.strip().rstrip(".:;,!").split()).casefold()


def _as_list(value, where: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ConfigError(f"lexicon furniture.{where}: expected a list")
    return value


@functools.lru_cache(maxsize=16)
def rules(lexicon: Lexicon) -> Rules:
    data = lexicon.get("furniture")
    seg = lexicon.get("segment")
    agencies = [str(a) for a in _as_list(data.get("agencies"), "agencies")]
    agency_alt = _phrases(agencies, at_end=False) or r"(?!)"
    markers: list[Marker] = []
    prefixes: list[Prefix] = []
    whole: list[LineRule | CapsRule] = []
    unpunct: list[UnpunctuatedRule] = []
    marker_needles: list[list[str] | None] = []
    rules = data.get("rules") or {}
    if not isinstance(rules, dict):
        raise ConfigError("lexicon furniture.rules: expected a mapping of rule name to rule")
    for name, spec in rules.items():
        if not isinstance(spec, dict):
            raise ConfigError(f"lexicon furniture.rules.{name}: expected a mapping")
        rid = str(spec.get("id") or f"furniture.{name}")
        kind = spec.get("type", "line")
        where = f"rules.{name}"
        pats = [str(p).replace("<AGENCY>", agency_alt) for p in _as_list(spec.get("patterns"), where + ".patterns")]
        if kind == "marker":
            markers.append(Marker(rid, tuple(_compile(p, where) for p in pats)))
            marker_needles.append([str(n) for n in _as_list(spec.get("needles"), where + ".needles")] or None)
        elif kind == "prefix":
            prefixes.append(Prefix(rid, int(spec.get("window", 200)), tuple(_compile(p, where) for p in pats)))
        elif kind == "line":
            exact = {normal_line(str(w)) for w in _as_list(spec.get("exact"), where + ".exact")}
            if spec.get("exact_agencies"):
                exact |= {normal_line(a) for a in agencies}
            starts = _phrases(_as_list(spec.get("starts"), where + ".starts"), at_end=False)
            end_phrases = [str(p).strip() for p in _as_list(spec.get("ends"), where + ".ends") if str(p).strip()]
            ends = _phrases(end_phrases, at_end=True)
            ends_pattern = _compile(f"(?:{ends})[\\s.!?:;,)\\]\"'”’]*\\Z", where, re.IGNORECASE) if ends else None
            whole.append(
                LineRule(
                    rid,
                    int(spec.get("max_chars", 300)),
                    frozenset(exact),
                    _compile(f"(?:{starts})", where, re.IGNORECASE) if starts else None,
                    ends_pattern,
                    tuple(_compile(p, where) for p in pats),
                    # Every match of `ends` holds a whole phrase, so the longest word of one.
                    Screen([longest_words(end_phrases)]) if ends_pattern is not None else None,
                )
            )
        elif kind == "caps":
            whole.append(
                CapsRule(
                    rid,
                    int(spec.get("max_chars", 300)),
                    int(spec.get("min_words", 3)),
                    float(spec.get("min_ratio", 0.8)),
                    int(spec.get("min_long_words", 2)),
                    int(spec.get("long_word", 4)),
                    frozenset(str(a).upper() for a in _as_list(spec.get("acronyms"), where + ".acronyms")),
                )
            )
        elif kind == "unpunctuated":
            unpunct.append(
                UnpunctuatedRule(
                    rid,
                    max(1, int(spec.get("min_words", 1))),
                    int(spec.get("max_words", 0)),
                    int(spec.get("max_sentences", 0)),
                )
            )
        else:
            raise ConfigError(f"lexicon furniture.{where}: unknown rule type {kind!r}")
    unpunct.sort(key=lambda r: -r.min_words)
    terminals = str(seg.get("terminals", ".!?…")) + str(seg.get("terminals_nospace", ""))
    closers = str(seg.get("closers", "\"')]"))
    sentence_end = f"[{re.escape(terminals)}]+[{re.escape(closers)}]*\\s+(?=\\S)" if terminals else r"(?!)"
    not_unp = [str(p) for p in _as_list(data.get("not_unpunctuated"), "not_unpunctuated")]
    return Rules(
        markers=tuple(markers),
        prefixes=tuple(prefixes),
        whole_line=tuple(whole),
        unpunctuated=tuple(unpunct),
        terminals=frozenset(terminals),
        closers=frozenset(closers),
        continuations=frozenset(str(data.get("continuations", ""))),
        not_unpunctuated=tuple(_compile(p, "not_unpunctuated") for p in not_unp),
        sentence_end=_compile(sentence_end, "terminals"),
        headline_lines=int((data.get("headline") or {}).get("max_lines", 2)),
        guard=float(data.get("unpunctuated_guard", 0.5)),
        marker_screen=Screen(marker_needles),
    )
