"""The plain data that flows between the pipeline stages.

ingest -> Source; clean -> CleanedSource; segment -> Sentence; claims -> Claim;
align -> Group; judge -> Finding; the pipeline gathers them into a Report.
Every offset is a character offset into `Source.text`, the decoded original file.
"""
from __future__ import annotations

import functools

from dataclasses import dataclass, field


# The verdicts of a comparison, in the order a report lists them.
VERDICTS = ("contradiction", "update", "difference", "agreement", "unique")

@dataclass(frozen=True)
class Source:
    """One article as the user gave it."""

    id: str
    name: str
    path: str | None
    text: str
    date: str | None = None
    url: str | None = None
    # "text": offsets index the decoded file; "html": the main text extracted from a page;
    # "json": the `text` field of a JSON article. Either way offsets index `text`.
    kind: str = "text"
    weight: float | None = None  # from a case manifest
    event: str | None = None  # the event a case manifest names


@dataclass(frozen=True)
class Block:
    """A kept stretch of a source (one logical line) after furniture is dropped."""

    start: int
    end: int
    kind: str = "body"  # "body" or "headline"


@dataclass(frozen=True)
class Dropped:
    """A stretch of a source that clean removed, and the rule that removed it."""

    start: int
    end: int
    rule: str


@dataclass(frozen=True)
class CleanedSource:
    source: Source
    blocks: tuple[Block, ...]
    dropped: tuple[Dropped, ...] = ()


@dataclass(frozen=True)
class Sentence:
    source_id: str
    index: int
    start: int
    end: int
    line: int  # 1-based
    column: int  # 1-based, in characters
    text: str  # exactly Source.text[start:end]
    headline: bool = False


@dataclass(frozen=True)
class Quantity:
    """A figure found in a sentence.

    `low`/`high` bound the interval the figure allows (None = unbounded); `bound` is one of
    exact, at_least, more_than, at_most, less_than, about, range, vague.
    """

    text: str
    value: float | None
    low: float | None
    high: float | None
    bound: str
    unit: str | None  # currency code, "percent", "km", ... or None for a plain count
    category: str | None  # killed, injured, missing, arrested, ..., money, rank, year ...
    counted: str | None  # the noun counted ("people", "troops", "cities")
    start: int  # offsets into Source.text
    end: int
    additive: bool = False  # "four *other* people died": adds to an earlier figure
    change: str | None = None  # "rose" when the sentence revises an earlier figure


# Figures that date, rank or age something rather than count it: never compared as counts.
NOT_COUNTS = (None, "rank", "year", "date", "time", "age")


@dataclass(frozen=True)
class Claim:
    id: str  # "<source id>:<sentence index>"
    source_id: str
    sentence: Sentence
    norm: str  # normalised text used for fuzzy matching
    words: tuple[str, ...]  # content words, stemmed, in order
    names: tuple[str, ...]  # named things, normalised (demonyms mapped to places)
    quantities: tuple[Quantity, ...]
    polarity: str  # affirmed | negated | denied
    modality: str  # asserted | hedged | uncertain
    speaker: str | None
    quote: str | None = None  # the longest quotation in the sentence, if any
    rules: tuple[str, ...] = ()  # ids of the lexicon rules that fired
    categories: tuple[str, ...] = ()  # quantity categories cued without a figure ("casualties")

    def __hash__(self) -> int:
        # Claims key sets, dicts and caches all through the judge; hashing every field (the
        # sentence, each figure) made that a sixth of its time. Equal claims have equal ids.
        return hash(self.id)

    @property
    def checkable(self) -> bool:
        """A figure, a named actor, a denial or a quotation: something a fact-checker can check."""
        return bool(
            self.quantities_that_count
            or self.polarity != "affirmed"
            or self.quote
            or (self.speaker and self.names)
            or len(self.names) >= 2
        )

    @functools.cached_property
    def quantities_that_count(self) -> tuple[Quantity, ...]:
        return tuple(q for q in self.quantities if q.category not in NOT_COUNTS)


@dataclass(frozen=True)
class Group:
    """Claims that the aligner found to tell the same fact."""

    claims: tuple[Claim, ...]
    score: float  # best alignment score inside the group, 0..100
    rules: tuple[str, ...] = ()

    @functools.cached_property
    def source_ids(self) -> tuple[str, ...]:  # computed once: the judge asks for it in loops
        return tuple(sorted({c.source_id for c in self.claims}))


@dataclass(frozen=True)
class Finding:
    id: str
    verdict: str  # contradiction | update | difference | agreement | unique
    kind: str | None  # numeric | denial | hedge | quote | None
    topic: str
    summary: str
    confidence: float
    claims: tuple[Claim, ...]
    score: float = 0.0
    rules: tuple[str, ...] = field(default=())
    # A fact's finding: the pairs of `claims` (indices) that cannot both be true, and the value
    # each cited claim gives the fact ((claim id, "at least 4"), ...).
    conflicts: tuple[tuple[int, int], ...] = ()
    values: tuple[tuple[str, str], ...] = ()

    @property
    def alignment_score(self) -> float | None:
        """The score that aligned the claims into one group (or paired two quotations); None where
        no alignment grouped them: figures and stories compared between related sources, a claim
        that aligned with nothing. The judge leaves those at 0.0, the field's default; an aligned
        group always scores above the cut-off."""
        return self.score if self.score > 0 else None


@dataclass(frozen=True)
class SourceSummary:
    id: str
    name: str
    path: str | None
    sentences: int
    claims: int
    date: str | None = None
    url: str | None = None
    kind: str = "text"
    weight: float | None = None

    @property
    def extracted(self) -> bool:
        """Whether lines and offsets count a text taken out of what the user named, not its own lines:
        an HTML page's main text, or the `text` of a JSON file or page. JSON on standard input
        has no file to be told apart from: its text is the text given."""
        return self.kind == "html" or (self.kind != "text" and self.path is not None)


@dataclass(frozen=True)
class ReprintGroup:
    """Sources that are copies of one article (a wire story reprinted): compared as `source` alone."""

    source: str  # the id of the copy kept
    reprints: tuple[str, ...]  # the ids of the others, sorted


SCHEMA_ID = "reconcile.report/2"


@dataclass(frozen=True)
class Report:
    """What `compare` returns; `to_dict()` is exactly the JSON report."""

    sources: tuple[SourceSummary, ...]
    findings: tuple[Finding, ...]
    event: str | None = None
    reprints: tuple[ReprintGroup, ...] = ()  # wire copies left out of the comparison, by the source kept

    def summary(self) -> dict[str, int]:
        counts = dict.fromkeys(VERDICTS, 0)
        for finding in self.findings:
            counts[finding.verdict] = counts.get(finding.verdict, 0) + 1
        return counts

    def to_dict(self, explain: bool = False) -> dict:
        out: dict = {"schema": SCHEMA_ID}
        if self.event is not None:
            out["event"] = self.event
        out["sources"] = [_source_dict(s) for s in self.sources]
        if self.reprints:  # only when there are copies, so that other reports stay as they were
            out["reprints"] = reprints_dicts(self.reprints)
        # A claim cited by many findings is one dict, built once (a big event's report cites each
        # claim many times); the JSON writer writes it wherever it is cited.
        claims: dict[int, dict] = {}
        out["findings"] = [_finding_dict(f, explain, claims) for f in self.findings]
        out["summary"] = self.summary()
        return out


def reprints_dicts(groups: tuple[ReprintGroup, ...]) -> list[dict]:
    return [{"source": g.source, "reprints": list(g.reprints)} for g in groups]


def _source_dict(s: SourceSummary) -> dict:
    out = {"id": s.id, "name": s.name, "path": s.path, "date": s.date, "sentences": s.sentences, "claims": s.claims}
    # Optional keys, present only when they say something, so that plain-text reports stay as they were.
    if s.url is not None:
        out["url"] = s.url
    if s.kind != "text":
        out["kind"] = s.kind
    if s.extracted:
        out["extracted"] = True  # lines, columns and offsets refer to the extracted text, not the file
    if s.weight is not None:
        out["weight"] = s.weight
    return out


def _finding_dict(finding: Finding, explain: bool, claims: dict[int, dict]) -> dict:
    """`claims`: each claim's dict by id(claim), shared by the findings that cite it."""
    out = {
        "id": finding.id,
        "verdict": finding.verdict,
        "kind": finding.kind,
        "topic": finding.topic,
        "summary": finding.summary,
        "confidence": finding.confidence,
        "claims": [claims.get(id(c)) or claims.setdefault(id(c), _claim_dict(c)) for c in finding.claims],
        "values": values_of_finding(finding),
        "conflicts": [list(pair) for pair in finding.conflicts],
    }
    if explain:
        score = finding.alignment_score
        out["explain"] = {"rules": list(finding.rules)} if score is None else {"score": score, "rules": list(finding.rules)}
    return out


def values_of_finding(finding: Finding) -> list[dict]:
    """Each source's value of the finding's fact, pointing at the claim that gives it."""
    at = {c.id: i for i, c in enumerate(finding.claims)}
    return [{"claim": at[claim_id], "source": finding.claims[at[claim_id]].source_id, "value": value}
            for claim_id, value in finding.values if claim_id in at]


def _claim_dict(claim: Claim) -> dict:
    s = claim.sentence
    return {
        "source": claim.source_id,
        "text": s.text,
        "start": s.start,
        "end": s.end,
        "line": s.line,
        "column": s.column,
        "quantities": [
            {"text": q.text, "value": q.value, "low": q.low, "high": q.high, "bound": q.bound,
             "unit": q.unit, "category": q.category}
            for q in claim.quantities
        ],
        "polarity": claim.polarity,
        "modality": claim.modality,
        "speaker": claim.speaker,
    }
