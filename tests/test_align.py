"""Alignment: paraphrases meet across sources; unrelated sentences are never candidates."""
from reconcile.align import AlignOptions, align, block, features
from reconcile.models import Source
from reconcile.pipeline import claims_of


def claims(*texts):
    out = []
    for n, text in enumerate(texts, start=1):
        out.extend(claims_of(Source(id=f"s{n}", name=f"s{n}", path=None, text=text)))
    return tuple(out)


STORY = (
    "Rescuers pulled 18 people from the rubble of the Velmar apartment block on Monday. The mayor thanked them.",
    "On Monday rescuers pulled 18 people out of the rubble of the Velmar apartment block. Schools stayed open.",
    "Eighteen people were pulled by rescuers from the rubble of the Velmar apartment block on Monday.",
)


def test_a_paraphrase_told_by_three_sources_is_one_group():
    groups = [g for g in align(claims(*STORY)) if len(g.source_ids) > 1]
    assert len(groups) == 1 and groups[0].source_ids == ("s1", "s2", "s3")


def test_sentences_on_different_things_stay_apart():
    groups = align(claims("The mayor opened a new library in Velmar.", "A comet was seen over Teralia on Friday."))
    assert all(len(g.source_ids) == 1 for g in groups)


def test_blocking_proposes_only_pairs_sharing_rare_features():
    found = claims(*STORY, "A comet was seen over Teralia on Friday. Astronomers in Teralia were thrilled.")
    sets = [features(c) for c in found]
    candidates = block(found, sets, AlignOptions())
    comet = {i for i, c in enumerate(found) if c.source_id == "s4"}
    assert candidates.pairs and not any(a in comet or b in comet for a, b in candidates.pairs)
    assert all(found[a].source_id != found[b].source_id for a, b in candidates.pairs)


def test_groups_do_not_depend_on_the_order_of_claims():
    found = claims(*STORY)
    forward = [[c.id for c in g.claims] for g in align(found)]
    backward = [[c.id for c in g.claims] for g in align(tuple(reversed(found)))]
    assert forward == backward


def test_the_same_quoted_words_pull_two_sentences_together():
    from reconcile.align import AlignOptions as Options

    found = claims('The army is using "suicide drones" against the port of Velmar, officials said.',
                   'Officials in Velmar said the attackers flew "suicide drones" into the port.')
    with_bonus = [g for g in align(found, Options()) if len(g.source_ids) > 1]
    without = [g for g in align(found, Options(quote_bonus=0.0)) if len(g.source_ids) > 1]
    assert with_bonus and (not without or without[0].score < with_bonus[0].score)


CHANCE = ("Police said no group had claimed responsibility for the explosion at the depot.",
          "Police said a rebel faction had claimed responsibility for the explosion at the pipeline. "
          "Engineers in Orrin said repairs to the Orrin pipeline would take weeks. "
          "Gas prices in the northern provinces climbed sharply as traders worried about winter supplies. "
          "The energy minister promised subsidies for households and small farms across the region.")
DEPOT = [f"An explosion destroyed a fuel depot in Velmar overnight, police said. No group has claimed "
         f"responsibility for the explosion at the Velmar depot, police said. Firefighters from {town} helped. "
         f"The depot supplied diesel to bus companies and ferries. City officials closed two nearby roads "
         f"while inspectors examined the damaged tanks." for town in ("Kessel", "Dunmore", "Arlo", "Brisk", "Corran")]


def _chance_linked(groups):
    return [g for g in groups if "s2" in g.source_ids and len(g.source_ids) > 1]


def test_a_lone_alignment_between_unrelated_sources_is_dropped_among_many():
    assert _chance_linked(align(claims(*CHANCE)))  # two sources: the user put them together
    many = align(claims(*CHANCE, *DEPOT))
    assert not _chance_linked(many)
    assert any(len(g.source_ids) == 6 for g in many)  # the depot's own sources still align


def test_sources_tell_one_story_by_shared_names_or_words():
    from reconcile.align import tell_one_story

    assert tell_one_story({"fire"}, {"velmar", "orrin", "kessel"}, {"flood"}, {"velmar", "orrin", "kessel"}, 3, 0.2)
    assert tell_one_story({"fire", "depot", "police"}, set(), {"fire", "storm", "rain", "wind", "sea"}, set(), 3, 0.2)
    assert not tell_one_story({"fire", "depot", "police", "night", "fuel", "truck"}, set(),
                              {"storm", "rain", "wind", "sea", "police"}, set(), 3, 0.3)


def test_scoring_in_one_batch_gives_the_floats_of_scoring_claim_by_claim(monkeypatch):
    from pathlib import Path

    import reconcile.align as align_module
    from reconcile.align import _contexts, score
    from reconcile.pipeline import to_sources

    root = Path(__file__).resolve().parent.parent / "fixtures"
    found = tuple(c for s in to_sources([root / "kyiv-drones", root / "coastal-storm"]) for c in claims_of(s))
    found = tuple(sorted(found, key=lambda c: (c.source_id, c.sentence.index)))
    contexts = _contexts(found)
    candidates = block(found, [features(c, x) for c, x in zip(found, contexts)], AlignOptions())
    assert len(candidates.pairs) < align_module.BATCH_PAIRS
    one_by_one = score(found, candidates, contexts)
    monkeypatch.setattr(align_module, "BATCH_PAIRS", 1)
    assert score(found, candidates, contexts) == one_by_one
    assert any('"' in c.norm for c in found)  # the quotation bonus is exercised too
