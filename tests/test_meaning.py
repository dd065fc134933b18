"""Sentence meaning from the embeddings shipped in the wordllama wheel, read offline."""
import socket

import pytest

from reconcile.align import meaning


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("reconcile tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    meaning._model.cache_clear()
    yield
    meaning._model.cache_clear()


def test_the_model_loads_and_embeds_with_sockets_disabled(no_network):
    vectors = meaning.embed(["Iran denied supplying Russia with weapons.",
                             "Tehran has rejected claims that it provided arms to Moscow.",
                             "The football club signed a new striker on Tuesday.", ""])
    close, far, empty = meaning.similarities(vectors, [(0, 1), (0, 2), (0, 3)])
    assert close > 0.4 and far < 0.15 and empty == 0.0


def test_vectors_are_unit_length_and_the_same_text_gives_the_same_vector():
    vectors = meaning.embed(["Four people died in the blast.", "Four people died in the blast."])
    assert abs(float((vectors[0] ** 2).sum()) - 1.0) < 1e-5
    assert meaning.similarities(vectors, [(0, 1)])[0] == pytest.approx(1.0)


def test_a_paraphrase_sharing_no_rare_word_still_becomes_a_candidate():
    from reconcile.align import AlignOptions, block, features, with_paraphrases
    from reconcile.align.meaning import embed
    from reconcile.claims import claim_of
    from reconcile.models import Sentence

    def claim(source, text):
        return claim_of(Sentence(source, 0, 0, len(text), 1, 1, text))

    claims = (claim("a", "Firefighters battled the blaze for hours."), claim("b", "Crews fought the fire through the night."),
              claim("b", "The football club signed a new striker."))
    options = AlignOptions(paraphrase_cosine=0.5)
    blocked = block(claims, [features(c) for c in claims], options)
    assert (0, 1) not in blocked.pairs
    found = with_paraphrases(claims, blocked, options, embed([c.sentence.text for c in claims]))
    assert (0, 1) in found.pairs and (0, 2) not in found.pairs
