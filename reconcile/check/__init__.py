"""`reconcile check`: hold one or more drafts against their sources and report what a newsroom's CI
must see: contradictions, disputed and unsupported claims, and (with coverage) what is left out.

    >>> from reconcile.check import check
    >>> report = check(["draft.md"], ["sources/"])
    >>> report.status, [(i.verdict, i.location.line) for i in report.issues]

Built on the pipeline: each draft is compared with each source, and the judge's findings are
read from the draft's side (see relate.py). Suppressions come last: config ignore rules, inline
markers, the baseline, and `--diff`.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field, replace
from typing import Iterable

from ..errors import ConfigError, InputError
from ..models import Claim, Finding, Source, SourceSummary
from ..pipeline import Config, SourceLike, claims_of, fold, to_sources
from .model import CHECK_VERDICTS, FAIL_ON, CheckReport, Issue, Location, fails, severity
from .parallel import pair_all
from .relate import Pairing, Verdict, conclude

__all__ = ["CHECK_VERDICTS", "FAIL_ON", "CheckOptions", "CheckReport", "Issue", "Location", "check",
           "check_sources", "fails", "load_inputs"]


@dataclass(frozen=True)
class CheckOptions:
    """Everything that tunes a check; the CLI builds one from options and the config file."""

    fail_on: str = "contradiction"
    coverage: bool = False  # also report what the sources agree on that the draft leaves out
    coverage_min_sources: int = 2  # how many sources must tell a fact for it to count as important
    min_confidence: float = 0.0
    config: Config = field(default_factory=Config)
    names: tuple[tuple[str, str], ...] = ()  # (source id, display name) from the config
    ignore: tuple[dict, ...] = ()  # the config's ignore rules
    baseline: frozenset[tuple[str, str]] = frozenset()  # (draft key, fingerprint) accepted
    baseline_dir: str | None = None  # draft keys are paths relative to this folder
    diff: str | None = None  # a git revision: keep only lines changed since it

    def __post_init__(self):
        if self.fail_on not in FAIL_ON:
            raise ConfigError(f"fail-on: expected one of {', '.join(FAIL_ON)}, got {self.fail_on!r}")


def check(drafts: Iterable[SourceLike], sources: Iterable[SourceLike], options: CheckOptions | None = None,
          stdin: bytes | None = None) -> CheckReport:
    """Check drafts (paths, "-", Sources or texts) against sources and return the CheckReport."""
    loaded_drafts, loaded_sources = load_inputs(drafts, sources, stdin)
    return check_sources(loaded_drafts, loaded_sources, options or CheckOptions())


def load_inputs(drafts: Iterable[SourceLike], sources: Iterable[SourceLike],
                stdin: bytes | None = None, **limits) -> tuple[tuple[Source, ...], tuple[Source, ...]]:
    """Drafts and sources as Sources with distinct ids; a draft that is also named as a source
    (a draft kept in the sources folder) is left out of the sources. `limits` go to to_sources
    (max_bytes, timeout)."""
    draft_list = list(to_sources(list(drafts), stdin, **limits))
    source_list = list(to_sources(list(sources), stdin, **limits))
    if not draft_list:
        raise InputError("check", "no draft given")
    draft_paths = {os.path.realpath(d.path) for d in draft_list if d.path}
    source_list = [s for s in source_list if not (s.path and os.path.realpath(s.path) in draft_paths)]
    if not source_list:
        raise InputError("--against", "no sources to check the drafts against")
    taken = {s.id for s in source_list}
    renamed = []
    for draft in draft_list:
        new_id, n = draft.id, 1
        while new_id in taken:
            new_id = f"draft-{draft.id}" + (f"-{n}" if n > 1 else "")
            n += 1
        taken.add(new_id)
        renamed.append(replace(draft, id=new_id) if new_id != draft.id else draft)
    return tuple(renamed), tuple(source_list)


def check_sources(drafts: tuple[Source, ...], sources: tuple[Source, ...], options: CheckOptions) -> CheckReport:
    """The check itself, on loaded Sources."""
    from .suppress import find_markers

    if options.diff is not None and any(d.path is None for d in drafts):
        raise ConfigError("--diff needs drafts that are files in a git repository, not standard input")
    config = options.config
    names = dict(options.names)
    dated = dict(config.dates)
    sources = tuple(replace(s, date=dated.get(s.id, s.date), name=names.get(s.id, s.name)) for s in sources)
    sources, reprints = fold(sources, config, min_left=1)  # a wire story three outlets print backs a draft once
    source_claims: dict[str, tuple[Claim, ...]] | None = None
    by_id = {s.id: s for s in sources}
    issues: list[Issue] = []
    checked: list[Claim] = []
    summaries: list[SourceSummary] = []
    agreed: list[Finding] | None = None  # what the sources agree on: the same for every draft
    for draft in drafts:
        text, markers = find_markers(draft.text, draft.path or draft.id)
        # A draft is written after its sources: it has no date that could turn its figures into updates.
        undated = replace(draft, text=text, date=None)
        claims = claims_of(undated, config.lexicon)
        source_claims, pairings = pair_all(undated, claims, sources, source_claims, config)
        verdicts = conclude(claims, pairings, by_id, config)
        found = [_issue(v, draft) for v in verdicts]
        if options.coverage:
            if agreed is None:
                agreed = _agreed(sources, source_claims, options)
            found += _omissions(draft, agreed, pairings)
        found = [i for i in found if i.finding.confidence >= options.min_confidence]
        if options.diff is not None:
            found = _in_diff(found, draft, options.diff)
        issues += [_suppress(i, draft, markers, options) for i in found]
        checked += [c for c in claims if c.checkable or any(i.claim.id == c.id for i in found)]
        summaries.append(_summary(undated, claims))
    summaries += [_summary(s, (source_claims or {})[s.id]) for s in sources]
    issues = [replace(i, severity=severity(i.verdict, options.fail_on)) for i in issues]
    issues.sort(key=lambda i: (i.draft, CHECK_VERDICTS.index(i.verdict), i.location.line, i.location.column, i.fingerprint))
    shown = tuple(i for i in issues if i.suppressed is None)
    return CheckReport(
        sources=tuple(summaries), findings=tuple(i.finding for i in shown), issues=shown,
        suppressed=tuple(i for i in issues if i.suppressed is not None), drafts=tuple(d.id for d in drafts),
        checked=tuple(checked), fail_on=options.fail_on,
        paths=tuple((s.id, s.path) for s in (*drafts, *sources)), reprints=reprints,
    )


def _issue(verdict: Verdict, draft: Source) -> Issue:
    claim = verdict.claim
    fingerprint = fingerprint_of(verdict.verdict, verdict.kind, claim.sentence.text)
    finding = Finding(id=f"{verdict.verdict[:3]}-{fingerprint[:8]}", verdict=verdict.verdict, kind=verdict.kind,
                      topic=verdict.topic, summary=verdict.summary, confidence=round(verdict.confidence, 2),
                      claims=verdict.evidence, rules=verdict.rules)
    return Issue(finding=finding, draft=draft.id, location=locate(draft, claim.sentence.start, claim.sentence.end),
                 fingerprint=fingerprint, against=verdict.against, supported_by=verdict.supported_by)


def fingerprint_of(verdict: str, kind: str | None, text: str) -> str:
    """Stable across line moves and whitespace; changes when the sentence's words change."""
    canonical = "\x1f".join((verdict, kind or "", " ".join(text.split())))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def locate(draft: Source, start: int, end: int) -> Location:
    """Lines and columns of text[start:end] in the draft; the end column is one past the last character."""
    text = draft.text
    end = max(end, start + 1) if text else end
    last = max(start, end - 1)

    def position(offset: int) -> tuple[int, int, int]:
        line_start = text.rfind("\n", 0, offset) + 1
        return (text.count("\n", 0, offset) + 1, offset - line_start + 1,
                len(text[line_start:offset].encode("utf-8")) + 1)

    line, column, byte_column = position(start)
    end_line, end_column, byte_end = position(last)
    width = len(text[last:last + 1].encode("utf-8")) or 1
    return Location(path=draft.path, line=line, column=column, end_line=end_line, end_column=end_column + 1,
                    start=start, end=end, byte_column=byte_column, byte_end_column=byte_end + width)


def _agreed(sources: tuple[Source, ...], source_claims: dict[str, tuple[Claim, ...]],
            options: CheckOptions) -> list[Finding]:
    """The agreements and updates at least `coverage_min_sources` sources tell, with a checkable
    sentence that is not a headline."""
    from ..align import align
    from ..judge import judge
    from ..pipeline import with_threads

    if len(sources) < options.coverage_min_sources:
        return []
    groups = align(tuple(c for s in sources for c in source_claims[s.id]), with_threads(options.config.align))
    return [f for f in judge(groups, sources, options.config.judge)
            if f.verdict in ("agreement", "update")
            and len({c.source_id for c in f.claims}) >= options.coverage_min_sources
            and any(c.checkable for c in f.claims if not c.sentence.headline)]


def _omissions(draft: Source, agreed: list[Finding], pairings: dict[str, Pairing]) -> list[Issue]:
    """What the sources agree on (`_agreed`) and no claim of the draft touches."""
    touched = {c.id for p in pairings.values() for r in p.relations for c in r.evidence}
    out = []
    for finding in agreed:
        told_by = sorted({c.source_id for c in finding.claims})
        body = [c for c in finding.claims if not c.sentence.headline]
        if any(c.id in touched for c in finding.claims):
            continue
        first = body[0]
        fingerprint = fingerprint_of("omitted", None, first.sentence.text)
        summary = f"{finding.topic}: told by {', '.join(told_by)}; the draft leaves it out"
        omitted = Finding(id=f"omi-{fingerprint[:8]}", verdict="omitted", kind=None, topic=finding.topic,
                          summary=summary, confidence=finding.confidence, claims=tuple(body),
                          rules=("check.omitted",) + finding.rules)
        location = Location(path=draft.path, line=1, column=1, end_line=1, end_column=1)
        out.append(Issue(finding=omitted, draft=draft.id, location=location, fingerprint=fingerprint,
                         supported_by=tuple(told_by)))
    return out


def _in_diff(found: list[Issue], draft: Source, ref: str) -> list[Issue]:
    from .suppress import changed_lines

    lines = changed_lines(draft.path, ref)
    if lines is None:  # the draft is new since ref: every line is changed
        return [i for i in found if i.verdict != "omitted"]
    return [i for i in found if i.verdict != "omitted"
            and any(n in lines for n in range(i.location.line, i.location.end_line + 1))]


def _suppress(issue: Issue, draft: Source, markers, options: CheckOptions) -> Issue:
    from .suppress import baseline_key, rule_matches

    claim = issue.claim
    evidence = {c.source_id for c in issue.finding.claims[1:]}
    for rule in options.ignore:
        if rule_matches(rule, path=draft.path, verdict=issue.verdict, kind=issue.finding.kind, text=claim.sentence.text,
                        sources=evidence, rules=issue.finding.rules):
            return replace(issue, suppressed="config")
    if issue.verdict != "omitted" and markers.ignores(issue.location.line, issue.location.end_line, issue.verdict):
        return replace(issue, suppressed="inline")
    if options.baseline and (baseline_key(draft.path, options.baseline_dir or "."), issue.fingerprint) in options.baseline:
        return replace(issue, suppressed="baseline")
    return issue


def _summary(source: Source, claims: tuple[Claim, ...]) -> SourceSummary:
    return SourceSummary(id=source.id, name=source.name, path=source.path, sentences=len(claims),
                         claims=sum(1 for c in claims if c.checkable), date=source.date)


def baseline_entries(report: CheckReport, base_dir: str) -> list[dict]:
    """The entries --write-baseline stores for the issues of a report."""
    from .suppress import baseline_key

    paths = dict(report.paths)
    return [{"path": baseline_key(paths.get(i.draft), base_dir), "fingerprint": i.fingerprint, "verdict": i.verdict,
             "kind": i.finding.kind, "line": i.location.line, "text": " ".join(i.claim.sentence.text.split())}
            for i in report.issues]
