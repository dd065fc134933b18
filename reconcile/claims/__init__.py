"""The claims stage: what each sentence asserts, about whom, with which figures and how firmly."""
from __future__ import annotations

import functools
import re

from ..support.lexicon import DEFAULT, Lexicon
from ..models import Claim, Sentence, Source
from .quantities import find_quantities, shifted
from .stance import stance
from .text import content_words, names, normalise

__all__ = ["extract_claims", "claim_of"]

_WORD = re.compile(r"[a-z]+")


def claim_of(sentence: Sentence, lexicon: Lexicon = DEFAULT) -> Claim:
    """Everything the later stages need to know about one sentence."""
    return _claim(sentence, _analyses([sentence.text], lexicon)[0])


def extract_claims(source: Source, sentences: tuple[Sentence, ...], lexicon: Lexicon = DEFAULT) -> tuple[Claim, ...]:
    """One claim per sentence of a source, in text order."""
    mine = [sentence for sentence in sentences if sentence.source_id == source.id]
    return tuple(map(_claim, mine, _analyses([sentence.text for sentence in mine], lexicon)))


def _claim(sentence: Sentence, analysis: tuple) -> Claim:
    norm, found, quantities, words, named, categories = analysis
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


_CACHED_TEXTS = 1 << 16


@functools.lru_cache(maxsize=8)
def _cache(lexicon: Lexicon) -> dict[str, tuple]:
    return {}


def _analyses(texts: list[str], lexicon: Lexicon) -> list[tuple]:
    """What each sentence says, which depends on its words alone: a sentence that recurs (wire
    copy run by many outlets, a boilerplate line) is read once. Figures are at offsets from its
    start. A source's new sentences go through each step together, one step after the other:
    a step's patterns stay in the processor's caches, which makes reading an eighth faster."""
    cache = _cache(lexicon)
    found = {text: analysis for text in texts for analysis in [cache.get(text)] if analysis is not None}
    new = [text for text in dict.fromkeys(texts) if text not in found]
    if new:
        norms = [normalise(text) for text in new]
        stances = [stance(text, norm, lexicon) for text, norm in zip(new, norms)]
        figures = [find_quantities(text, 0, lexicon) for text in new]
        words = [content_words(norm, lexicon) for norm in norms]
        named = [names(text, lexicon) for text in new]
        categories = [_topic_categories(norm, lexicon) for norm in norms]
        analysed = dict(zip(new, zip(norms, stances, figures, words, named, categories)))
        found.update(analysed)
        if len(cache) + len(analysed) > _CACHED_TEXTS:  # a bound, not an LRU: a run rarely reaches it
            cache.clear()
        cache.update(analysed)
    return [found[text] for text in texts]


def _topic_categories(norm: str, lexicon: Lexicon) -> tuple[str, ...]:
    tokens = set(_WORD.findall(norm))
    return tuple(category for category, words in _topic_cues(lexicon) if not tokens.isdisjoint(words))


@functools.lru_cache(maxsize=8)
def _topic_cues(lexicon: Lexicon) -> tuple[tuple[str, frozenset], ...]:
    """(category, its cue words), sorted by category, as the lexicon gives them."""
    cues = lexicon.get("words").get("topic_cues") or {}
    return tuple(sorted((category, frozenset(words)) for category, words in cues.items()))
