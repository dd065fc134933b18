import pytest

from reconcile.claims.text import content_words, names, normalise, stem


def test_normalise_folds_quotes_spaces_and_ligatures():
    assert normalise("\u201cKamikaze\u201d\u00a0drones \ufb01nd  it") == '"kamikaze" drones find it'


@pytest.mark.parametrize("word,expected", [("drones", "drone"), ("killed", "kill"), ("injuries", "injury"),
                                           ("bus", "bus"), ("news", "news"), ("flying", "fly")])
def test_stem(word, expected):
    assert stem(word) == expected


def test_content_words_drop_function_words():
    assert content_words(normalise("The drones were seen over the city")) == ("drone", "seen", "city")


@pytest.mark.parametrize("sentence,expected", [
    ("The Russian military is deploying Iranian-made drones.", {"russia", "iran"}),
    ("Vladimir Putin vowed revenge for the Kerch Bridge blast.", {"vladimir putin", "kerch bridge"}),
    ("The drones struck a building.", set()),
    ("NATO and the EU met in Brussels.", {"nato", "eu", "brussels"}),
])
def test_names(sentence, expected):
    assert set(names(sentence)) == expected
