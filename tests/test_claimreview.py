"""--format claimreview: schema.org ClaimReview JSON-LD, checked against the vocabulary's types.

tests/data/schemaorg-claimreview.schema.json closes each schema.org type to the properties the
vocabulary gives it, so a property written on the wrong type (or made up) fails here.
"""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from reconcile.cli import main
from reconcile.report import render

from conftest import FIXTURES, sample_report

SCHEMA = json.loads((Path(__file__).parent / "data" / "schemaorg-claimreview.schema.json").read_text(encoding="utf-8"))


def validate(reviews) -> None:
    jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(reviews)


def claimreview(*args) -> list[dict]:
    result = CliRunner().invoke(main, ["compare", *map(str, args), "-f", "claimreview"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_one_review_per_contradicted_claim():
    report = sample_report()
    reviews = json.loads(render(report, "claimreview"))
    validate(reviews)
    contradicted = [c for f in report.findings if f.verdict == "contradiction" for c in f.claims]
    assert [r["claimReviewed"] for r in reviews] == [" ".join(c.sentence.text.split()) for c in contradicted]
    wire = next(r for r in reviews if r["claimReviewed"].startswith("Russian drones"))
    assert wire["itemReviewed"]["author"] == {"@type": "Organization", "name": "wire"}
    assert wire["itemReviewed"]["appearance"] == {"@type": "CreativeWork", "name": "news/wire.txt"}
    assert wire["reviewRating"] == {"@type": "Rating", "alternateName": None, "ratingValue": None}


@pytest.mark.parametrize("folder", ["kyiv-drones", "coastal-storm", "refinery-fire", "categorical-slots"])
def test_fixture_reviews_are_valid_schema_org(folder):
    reviews = claimreview(FIXTURES / folder)
    assert reviews
    validate(reviews)
    report = json.loads(CliRunner().invoke(main, ["compare", str(FIXTURES / folder), "-f", "json"]).stdout)
    contradicted = {" ".join(c["text"].split()) for f in report["findings"] if f["verdict"] == "contradiction"
                    for c in f["claims"]}
    assert {r["claimReviewed"] for r in reviews} == contradicted


def test_the_appearance_has_the_url_and_the_date_where_known(tmp_path):
    for name, toll in (("a", "4"), ("b", "9")):  # published at once: the higher toll is no update
        (tmp_path / f"{name}.md").write_text(
            f"---\noutlet: Outlet {name.upper()}\ndate: 2022-10-17T04:00Z\nurl: https://example.org/{name}\n---\n"
            f"Officials said {toll} people were killed in the blast at the depot on Monday.\n", encoding="utf-8")
    reviews = claimreview(tmp_path)
    validate(reviews)
    first = reviews[0]["itemReviewed"]
    assert first["author"]["name"] == "Outlet A" and first["datePublished"] == "2022-10-17T04:00:00Z"
    assert first["appearance"]["url"] == "https://example.org/a"


def test_a_property_schema_org_lacks_fails_the_check():
    """The check can fail: `appearance` is a Claim's, not a ClaimReview's; `rating` is nobody's."""
    reviews = json.loads(render(sample_report(), "claimreview"))
    wrong = [dict(reviews[0], appearance=reviews[0]["itemReviewed"]["appearance"])]
    with pytest.raises(jsonschema.ValidationError):
        validate(wrong)
    with pytest.raises(jsonschema.ValidationError):
        validate([dict(reviews[0], reviewRating={"@type": "Rating", "rating": 1})])


def test_no_contradiction_no_review():
    assert claimreview(FIXTURES / "tracked-story" / "run1") == []
