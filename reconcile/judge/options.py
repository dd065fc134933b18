"""What tunes the judge."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class JudgeOptions:
    min_agreement_score: float = 62.0
    # A bare "not" opposing an affirmed paraphrase: off (negative) by default, since negation is
    # too common in news prose; measured on FNC-1 pairs it cost more precision than it gained.
    negation_margin: float = -1.0
    # Two sources tell the same story when they share this many names, or this share of
    # content words (of the shorter text), even if no sentence pair aligns closely.
    story_names: int = 3
    story_overlap: float = 0.2
    # One source debunks the shared story and the other does not when it has at least
    # debunk_skew times as many denials on the story, plus one.
    debunk_skew: float = 3.0
    # A plain negation ("the woman was not his wife") counts towards a source's debunking
    # when it shares this many story words with the other source (0: never).
    negation_overlap: int = 8
    # Whole sources are compared pair by pair (story-level debunks, tolls worded differently)
    # along the pairs that share an aligned group, up to this many pairs: when one event is
    # told by hundreds of sources the pairs grow with the square of the sources, and the
    # aligned groups, which span every source, carry the comparison alone. Pairs of sources
    # with no aligned group are compared by vocabulary only while all pairs fit in it.
    pairwise_pairs: int = 20_000
    # A claim stays in its aligned group only when it shares this many content words or names
    # with a claim of another source in it (see judge.cohesive).
    min_shared_words: int = 2
