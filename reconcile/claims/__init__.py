"""The claims stage: what each sentence asserts, about whom, with which figures and how firmly."""
from __future__ import annotations

import re

from ..lexicon import DEFAULT, Lexicon
from ..models import Claim, Sentence, Source
from .stance import stance
from .text import content_words, names, normalise

__all__ = ["extract_claims", "claim_of"]

_WORD = re.compile(r"[a-z]+")


def claim_of(sentence: Sentence, lexicon: Lexicon = DEFAULT) -> Claim:
    """Everything the later stages need to know about one sentence."""
    from .quantities import find_quantities

    norm = normalise(sentence.text)
    found = stance(sentence.text, norm, lexicon)
    quantities = find_quantities(sentence.text, sentence.start, lexicon)
    return Claim(
        id=f"{sentence.source_id}:{sentence.index}",
        source_id=sentence.source_id,
        sentence=sentence,
        norm=norm,
        words=content_words(norm, lexicon),
        names=names(sentence.text, lexicon),
        quantities=quantities,
        polarity=found.polarity,
        modality=found.modality,
        speaker=found.speaker,
        quote=found.quote,
        rules=found.rules,
        categories=_topic_categories(norm, lexicon),
    )


def extract_claims(source: Source, sentences: tuple[Sentence, ...], lexicon: Lexicon = DEFAULT) -> tuple[Claim, ...]:
    """One claim per sentence of a source, in text order."""
    return tuple(claim_of(sentence, lexicon) for sentence in sentences if sentence.source_id == source.id)


def _topic_categories(norm: str, lexicon: Lexicon) -> tuple[str, ...]:
    cues = lexicon.get("words").get("topic_cues") or {}
    tokens = set(_WORD.findall(norm))
    return tuple(sorted(category for category, words in cues.items() if tokens & set(words)))
