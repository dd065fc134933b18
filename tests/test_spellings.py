"""Names spelt two ways across sources (judge/spellings.py): a slip in a name contradicts; forms
of one name, spelling conventions, plurals, accents and common words do not. Sentences written
here."""
import pytest

from reconcile.claims import claim_of
from reconcile.judge.spellings import _slip, spelling_values
from reconcile.support.lexicon import DEFAULT
from reconcile.judge.spellings import _conventions
from reconcile.models import Sentence


def sources(**texts):
    return {sid: [claim_of(Sentence(sid, n, 0, len(t), n + 1, 1, t)) for n, t in enumerate(lines)]
            for sid, lines in texts.items()}


def spelt(**texts):
    return {sid: sorted(v.label for v in vs) for sid, vs in spelling_values(sources(**texts)).items()}


@pytest.mark.parametrize("a,b", [("Wrenfield", "Wrenfeld"), ("LaCalamita", "Calamita"), ("Kowalczyk", "Kowalcyk"),
                                  ("Okafor", "Okafur")])
def test_a_slip_in_a_name(a, b):
    assert _slip(a, b, _conventions(DEFAULT))


@pytest.mark.parametrize("a,b", [("Steve", "Steven"), ("Advisers", "Advisors"), ("Harbour", "Harbor"),
                                  ("José", "Jose"), ("Hunters", "Hunter"), ("Centre", "Center"), ("Ali", "Aly"), ("O\u2019neal", "O'Neal"),
                                  ("Marta", "Bristow"), ("Gomez", "GOMEZ")])
def test_not_a_slip(a, b):
    assert not _slip(a, b, _conventions(DEFAULT))


def test_one_name_spelt_two_ways_by_two_sources_gives_each_spelling():
    found = spelt(wire=["Police named the driver as Tobias Wrenfield of Calder Bay."],
                  radio=["The driver, Tobias Wrenfeld, had worked at the depot for years."],
                  paper=["Tobias Wrenfield was taken to hospital."])
    assert found == {"wire": ["Tobias Wrenfield"], "radio": ["Tobias Wrenfeld"], "paper": ["Tobias Wrenfield"]}


@pytest.mark.parametrize("wire,radio", [
    # a source that writes both spellings knows two people
    (["Tobias Wrenfield and Tobias Wrenfeld are cousins."], ["Tobias Wrenfeld spoke to reporters."]),
    # a word written in lower case anywhere is not a name
    (["The Shooting Suspects fled."], ["A Shooting Suspect was held.", "The shooting suspects were seen."]),
    # titles anchor no one
    (["Mr Halloran thanked the crews."], ["Mr Hallorans thanked the crews."]),
    # forms of one first name
    (["Steve Marlow opened the inquiry."], ["Steven Marlow opened the inquiry."]),
    # one spelling convention or another
    (["The Harbour Authority closed the quay."], ["The Harbor Authority closed the quay."]),
    # a compound of a name and a word
    (["The Qaida-linked Nusra Front claimed it."], ["The Qaeda-linked Nusra Front claimed it."]),
    # different people with one first name
    (["Tobias Wrenfield was hurt."], ["Tobias Aldergrove was hurt."]),
])
def test_no_spelling_conflict(wire, radio):
    assert spelt(wire=wire, radio=radio) == {"wire": [], "radio": []}
