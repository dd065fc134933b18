"""The claims stage: what each sentence asserts, about whom, with which figures and how firmly."""
from __future__ import annotations

import functools
import re

from ..lexicon import DEFAULT, Lexicon
from ..models import Claim, Sentence, Source
from .quantities import shifted
from .stance import stance
from .text import content_words, names, normalise

__all__ = ["extract_claims", "claim_of"]

_WORD = re.compile(r"[a-z]+")


def claim_of(sentence: Sentence, lexicon: Lexicon = DEFAULT) -> Claim:
    """Everything the later stages need to know about one sentence."""
    norm, found, quantities, words, named, categories = _analysis(sentence.text, lexicon)
    if sentence.start:
        quantities = tuple(shifted(q, sentence.start) for q in quantities)
    return Claim(
        id=f"{sentence.source_id}:{sentence.index}",
        source_id=sentence.source_id,
        sentence=sentence,
        norm=norm,
        words=words,
        names=named,
        quantities=quantities,
        polarity=found.polarity,
        modality=found.modality,
        speaker=found.speaker,
        quote=found.quote,
        rules=found.rules,
        categories=categories,
    )


@functools.lru_cache(maxsize=1 << 16)
def _analysis(text: str, lexicon: Lexicon) -> tuple:
    """What a sentence says depends on its words alone: a sentence that recurs (wire copy run
    by many outlets, a boilerplate line) is read once. Figures are at offsets from its start."""
    from .quantities import find_quantities

    norm = normalise(text)
    return (norm, stance(text, norm, lexicon), find_quantities(text, 0, lexicon), content_words(norm, lexicon),
            names(text, lexicon), _topic_categories(norm, lexicon))


def extract_claims(source: Source, sentences: tuple[Sentence, ...], lexicon: Lexicon = DEFAULT) -> tuple[Claim, ...]:
    """One claim per sentence of a source, in text order."""
    return tuple(claim_of(sentence, lexicon) for sentence in sentences if sentence.source_id == source.id)


def _topic_categories(norm: str, lexicon: Lexicon) -> tuple[str, ...]:
    tokens = set(_WORD.findall(norm))
    return tuple(category for category, words in _topic_cues(lexicon) if not tokens.isdisjoint(words))


@functools.lru_cache(maxsize=8)
def _topic_cues(lexicon: Lexicon) -> tuple[tuple[str, frozenset], ...]:
    """(category, its cue words), sorted by category, as the lexicon gives them."""
    cues = lexicon.get("words").get("topic_cues") or {}
    return tuple(sorted((category, frozenset(words)) for category, words in cues.items()))
