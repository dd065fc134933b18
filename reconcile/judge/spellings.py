"""Names spelt two ways. One source's "Dana Kowalczyk" against another's "Dana Kowalcyk" is one
person whose name one of them has wrong: a slot value (measure "slot:spelling") that facts.py
judges like a weapon or a condition. Two spellings conflict only when

- they share one word of the name and differ in the other, at the same place ("Dana X" and "Dana Y");
- the differing words are close (a slip, not another person: Indel similarity at least
  SIMILAR), neither is the other's start ("Steve" and "Steven" are forms of one name), and
  neither is only a plural, an accent or a spelling convention away ("Advisers", "Advisors");
- every word is a name: no source writes it in lower case ("Shooting Suspect" is not a name);
- each source writes only its own spelling: a source that uses both knows two people."""
from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict

from rapidfuzz.distance import Indel
from rapidfuzz.process import extract

from ..support.lexicon import DEFAULT, Lexicon
from ..models import Claim
from .values import Value

__all__ = ["spelling_values"]

SIMILAR = 0.8
SHORTEST = 4  # "Al" and "Ali" are too short to tell a slip from another name
_CAPITALISED = re.compile(r"[A-Z][\w\u2019'-]*")
_NAME_RUN = re.compile(r"[A-Z][\w\u2019'-]*(?:\s+[A-Z][\w\u2019'-]*)+")
_LOWER_WORD = re.compile(r"\b[a-z][\w\u2019'-]*")
_COMPOUND = re.compile(r"-[a-z]")  # "Qaeda-linked": a word made of a name, not a name
_POSSESSIVE = re.compile(r"['\u2019]s?$")


@functools.lru_cache(maxsize=1 << 16)
def _folded(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold().replace("\u2019", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.lru_cache(maxsize=8)
def _conventions(lexicon: Lexicon) -> tuple[tuple[str, str], ...]:
    return tuple((a, b) for a, b in lexicon.get("facts").get("spelling_conventions") or [])


def _by_convention(word: str, conventions: tuple[tuple[str, str], ...]) -> str:
    for british, american in conventions:
        word = word.replace(british, american)
    return word


@functools.lru_cache(maxsize=8)
def _not_names(lexicon: Lexicon) -> frozenset[str]:
    facts = lexicon.get("facts")
    words = lexicon.get("words")
    return frozenset(_folded(w) for w in [*(facts.get("person_titles") or []), *words.get("stopwords", [])])


def _slip(a: str, b: str, conventions: tuple[tuple[str, str], ...] = ()) -> bool:
    """Two spellings of one word that one writer got wrong, not two forms of a name nor the
    word spelt by two conventions."""
    a, b = _by_convention(_folded(a), conventions), _by_convention(_folded(b), conventions)
    if a == b or min(len(a), len(b)) < SHORTEST:
        return False
    if a.startswith(b) or b.startswith(a) or a.rstrip("s") == b.rstrip("s"):
        return False
    return Indel.normalized_similarity(a, b) >= SIMILAR


class _NotNames:
    """The words that are no name: titles and stopwords (folded), and every word some source
    writes in lower case (as written: folding each of a run's words costs more than the rest)."""

    def __init__(self, folded: frozenset[str], lower: set[str]):
        self.folded, self.lower = folded, lower

    def __contains__(self, word: str) -> bool:
        return word.lower() in self.lower or _folded(word) in self.folded


def _pairs_in(claims: list[Claim], not_names: "_NotNames") -> dict[tuple[int, str, str], Claim]:
    """Each two-word stretch of a capitalised run, with the first sentence that has it:
    (0, "Dana", "Kowalczyk") keeps the first word, (1, "Kowalczyk", "Dana") the second."""
    out: dict[tuple[int, str, str], Claim] = {}
    for claim in claims:
        for run in _NAME_RUN.finditer(claim.sentence.text):
            words = [_POSSESSIVE.sub("", w) for w in _CAPITALISED.findall(run.group(0))]
            for first, second in zip(words, words[1:]):
                if first in not_names or second in not_names or \
                        _COMPOUND.search(first) or _COMPOUND.search(second):
                    continue
                out.setdefault((0, first, second), claim)
                out.setdefault((1, second, first), claim)
    return out


def spelling_values(by_source: dict[str, list[Claim]], lexicon: Lexicon = DEFAULT) -> dict[str, list[Value]]:
    """Each source's spelling of every name that another source spells close but otherwise."""
    lower = {w for claims in by_source.values() for c in claims for w in _LOWER_WORD.findall(c.sentence.text)}
    not_names = _NotNames(_not_names(lexicon), lower)
    conventions = _conventions(lexicon)
    # block on the shared word: only the few names that share one are ever compared
    blocks: dict[tuple[int, str], dict[str, dict[str, tuple[str, Claim]]]] = defaultdict(lambda: defaultdict(dict))
    words_of: dict[str, set[str]] = {}
    for sid in sorted(by_source):
        pairs = _pairs_in(by_source[sid], not_names)
        words_of[sid] = {_folded(word) for _, kept, other in pairs for word in (kept, other)}
        for (at, kept, other), claim in pairs.items():
            blocks[(at, _folded(kept))][other][sid] = (kept, claim)
    out: dict[str, list[Value]] = {sid: [] for sid in by_source}
    for (at, kept), others in sorted(blocks.items()):
        if len(others) < 2:
            continue
        spellings = sorted(others)
        folded = [_folded(w) for w in spellings]
        slipped = set()
        for i, a in enumerate(spellings):
            for _, _, j in extract(folded[i], folded[i + 1:], scorer=Indel.normalized_similarity,
                                   score_cutoff=SIMILAR, limit=None):
                b = spellings[i + 1 + j]
                if _slip(a, b, conventions) and not any(_folded(b) in words_of[s] for s in others[a]) \
                        and not any(_folded(a) in words_of[s] for s in others[b]):
                    slipped.update((a, b))
        for spelling in sorted(slipped):
            for sid, (shared, claim) in sorted(others[spelling].items()):
                name = f"{shared} {spelling}" if at == 0 else f"{spelling} {shared}"
                out[sid].append(Value(claims=(claim,), measure="slot:spelling", low=0.0, high=0.0,
                                      label=name, holder=shared, tags=frozenset([f"name:{at}:{kept}"])))
    return out
