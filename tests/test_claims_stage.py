"""The claims stage as a whole: a source's sentences read together give what each gives alone."""
import pytest

import reconcile.claims as claims_stage
from reconcile.claims import claim_of, extract_claims
from reconcile.clean import clean
from reconcile.support.lexicon import DEFAULT
from reconcile.models import Source
from reconcile.segment import segment

TEXT = ("Officials said 4 people died in the blast on Monday.\n"
        "Iran has repeated its denial that it supplied the drones.\n"
        "Officials said 4 people died in the blast on Monday.\n"
        "It is unclear whether there were casualties, police told Reuters.\n")


def _sentences(text: str, source_id: str = "a"):
    source = Source(source_id, source_id, None, text)
    return source, segment(clean(source, DEFAULT), DEFAULT)


def test_a_source_read_together_gives_each_sentence_read_alone():
    source, sentences = _sentences(TEXT)
    together = extract_claims(source, sentences)
    assert together == tuple(claim_of(s) for s in sentences)
    assert together[0].quantities and together[2].quantities[0].start == TEXT.index("4", 60)
    assert together[1].polarity == "denied" and together[3].modality == "uncertain"


def test_extract_claims_keeps_only_the_sources_own_sentences():
    source, sentences = _sentences(TEXT)
    other, theirs = _sentences("Seven people were hurt.\n", "b")
    assert [c.source_id for c in extract_claims(source, sentences + theirs)] == ["a"] * len(sentences)


@pytest.mark.parametrize("bound", [0, 1, 2])
def test_a_full_cache_is_cleared_without_changing_a_claim(monkeypatch, bound):
    source, sentences = _sentences(TEXT)
    expected = extract_claims(source, sentences)
    monkeypatch.setattr(claims_stage, "_CACHED_TEXTS", bound)
    claims_stage._cache(DEFAULT).clear()
    assert extract_claims(source, sentences) == expected
    assert len(claims_stage._cache(DEFAULT)) <= max(bound, 3)
