"""What tunes alignment."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AlignOptions:
    cutoff: float = 62.0  # combined score (0..100) a pair needs to be aligned
    max_postings: int = 400  # a feature in more claims than this proposes no candidates
    top_k: int = 12  # candidates kept per claim, best shared weight first
    min_shared: float = 1.5  # idf weight two claims must share to become candidates
    max_per_source: int = 3  # claims of one source in one group
    # score = set_weight * token_set_ratio + sort_weight * token_sort_ratio
    #         + shared_weight * min(1, shared idf weight / shared_scale)
    set_weight: float = 0.45
    sort_weight: float = 0.35
    shared_weight: float = 20.0
    shared_scale: float = 8.0
    quote_bonus: float = 8.0
    # + meaning_weight * max(0, 100 * cosine of the sentences' embeddings - meaning_center): see
    # align.with_meaning. 0 turns meaning off. Measured on the development sets: this raises the
    # FNC-1 consistent pairs aligned from 0.93 to 0.95-0.96; larger weights cost seed findings.
    meaning_weight: float = 0.5
    meaning_center: float = 45.0
    # Meaning is used in runs of up to this many claims; they also take as candidates each
    # claim's closest claims of other sources by meaning (`paraphrases_per_claim` of them, cosine
    # `paraphrase_cosine` at least).
    meaning_claims: int = 3_000
    paraphrases_per_claim: int = 2
    paraphrase_cosine: float = 0.55
    # In a run of at least `story_sources` sources (a monitoring desk's day, not a fact-checker's
    # handful, which the user chose as one event), two sources that align on no more than
    # `lone_links` sentence pairs must also tell one story as wholes: share `story_names` names
    # or `story_overlap` of the smaller one's content words. Among unrelated articles a shared
    # "claimed responsibility" is a coincidence. Checked while there are at most `story_checks`
    # such pairs of sources (one event told by hundreds of sources has more, and needs no check).
    story_sources: int = 6
    lone_links: int = 2
    story_names: int = 3
    story_overlap: float = 0.2
    story_checks: int = 50_000
    # Threads for blocking's array work (numpy lets go of the interpreter lock in its loops); 0:
    # as many as the caller gives (pipeline.py: one per CPU, up to 4), 1 when called on its own.
    threads: int = 0
