"""A Report as the records a ledger keeps: fact ids that survive sources coming and going.

A finding's own id digests its claims' ids ("wire:4"), which change whenever a source is added,
dropped or edited. The ledger keys a finding by what it is about instead:
- a fact's finding (judge/facts.py) by its topic, which names the fact's measure or slot, its
  holder and its event or scope ("death toll", "age (Buckley)", "death toll (in 2001)"); the update
  told beside a contradicted fact ("... revised: ...") is its own entry under the same topic;
- a single-source claim by its source and its sentence, since only that source tells it;
- any other finding (a denial, a hedge, a quotation, an agreement of sentences) by its topic.
Two findings of one run with the same key (one fact told by two unrelated clusters of sources)
are told apart by a counter in the order of their summaries.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict

from ..models import Finding, Report, Source
from .model import FindingRecord, SourceRecord

FACT_RULES = ("judge.fact.conflict", "judge.fact.update", "judge.fact.agreement")


def is_revision(topic: str, summary: str) -> bool:
    """The update judge.facts tells beside a contradicted fact ("death toll revised: 4 → 6"): its
    values repeat the fact's, and it has an id of its own under the same topic."""
    return summary.startswith(f"{topic} revised: ")


def fact_key(finding: Finding) -> str:
    """What a finding is about, independent of source indices and row order."""
    if finding.rules and finding.rules[0] in FACT_RULES:
        return f"fact|{finding.topic}" + ("|revised" if is_revision(finding.topic, finding.summary) else "")
    if finding.verdict == "unique" and finding.claims:
        claim = finding.claims[0]
        return f"claim|{claim.source_id}|{' '.join(claim.sentence.text.split())}"
    return f"statement|{finding.topic}"


def fact_id(key: str) -> str:
    return "f-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def finding_records(report: Report) -> tuple[FindingRecord, ...]:
    """Every finding of the report under its stable id, sorted by id."""
    keyed = sorted(((fact_key(f), f) for f in report.findings), key=lambda kf: (kf[0], kf[1].summary, kf[1].id))
    seen: dict[str, int] = {}
    out = []
    for key, f in keyed:
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            key = f"{key}#{seen[key]}"
        source_of = {c.id: c.source_id for c in f.claims}
        values = tuple(sorted({(source_of[cid], label) for cid, label in f.values if cid in source_of}))
        out.append(FindingRecord(fact_id=fact_id(key), verdict=f.verdict, kind=f.kind, topic=f.topic,
                                 summary=f.summary, confidence=f.confidence,
                                 sources=tuple(sorted({c.source_id for c in f.claims})), values=values))
    return tuple(sorted(out, key=lambda r: r.fact_id))


def source_records(sources: tuple[Source, ...], fetched: str, reprint_of: dict[str, str] | None = None
                   ) -> tuple[SourceRecord, ...]:
    """Each source read by the run, with its text's hash, sorted by id."""
    reprint_of = reprint_of or {}
    return tuple(sorted(
        (SourceRecord(id=s.id, name=s.name, text_hash=hashlib.sha256(s.text.encode("utf-8")).hexdigest(),
                      fetched=fetched, path=s.path, url=s.url, date=s.date, kind=s.kind,
                      reprint_of=reprint_of.get(s.id)) for s in sources),
        key=lambda r: r.id))


def settings_json(config) -> str:
    """The settings of a run (a pipeline.Config) as canonical JSON: what would make two runs differ
    other than their sources. The config's lexicon additions are kept as given."""
    out = {"align": asdict(config.align), "judge": asdict(config.judge), "dates": [list(d) for d in config.dates],
           "lexicon": config.lexicon.extra_yaml, "keep_reprints": config.keep_reprints}
    return json.dumps(out, sort_keys=True, separators=(",", ":"))
