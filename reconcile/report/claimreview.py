"""schema.org ClaimReview JSON-LD: one object per contradicted claim, for a fact-checker to rate.

Each names the claim's sentence (`claimReviewed`), the claim as a schema.org `Claim` by the outlet
that made it (`author`) with where and when it appeared (`appearance`: the page's URL, else the
source's name or path, and its date), and the contradiction it is part of (`description`). The
rating is left empty: reconcile finds that sources disagree, not which of them is right.
"""
from __future__ import annotations

from ..models import Claim, Report, SourceSummary
from .jsontext import dumps

CONTEXT = "https://schema.org"


def claim_reviews(report: Report) -> list[dict]:
    """The ClaimReview objects, in the report's order; a claim in two contradictions is reviewed once."""
    sources = {s.id: s for s in report.sources}
    reviews: dict[str, dict] = {}
    for finding in report.findings:
        if finding.verdict != "contradiction":
            continue
        for claim in finding.claims:
            if claim.id in reviews:
                reviews[claim.id]["description"] += f"; {finding.summary}"
                continue
            reviews[claim.id] = _review(claim, sources.get(claim.source_id), finding.summary)
    return list(reviews.values())


def _review(claim: Claim, source: SourceSummary | None, summary: str) -> dict:
    outlet = source.name if source else claim.source_id
    appearance: dict = {"@type": "CreativeWork"}
    if source is not None and source.url:  # where readers saw it; else the file or name the user gave
        appearance["url"] = source.url
    else:
        appearance["name"] = (source.path or source.name) if source is not None else claim.source_id
    if source is not None and source.date:
        appearance["datePublished"] = source.date
    item: dict = {"@type": "Claim", "author": {"@type": "Organization", "name": outlet}, "appearance": appearance}
    if source is not None and source.date:
        item["datePublished"] = source.date
    return {
        "@context": CONTEXT,
        "@type": "ClaimReview",
        "claimReviewed": " ".join(claim.sentence.text.split()),
        "description": f"contradicted: {summary}",
        "itemReviewed": item,
        # For the fact-checker: the verdict ("False", "Misleading", ...) and its scale.
        "reviewRating": {"@type": "Rating", "alternateName": None, "ratingValue": None},
    }


def render_claimreview(report: Report) -> str:
    return dumps(claim_reviews(report)) + "\n"
