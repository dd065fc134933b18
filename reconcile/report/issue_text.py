"""What every `reconcile check` format says about an issue: its rule, title and message, the
evidence from the sources, where its sentence ends, and paths as CI systems want them."""
from __future__ import annotations

import os
from typing import TYPE_CHECKING

from . import printable

if TYPE_CHECKING:  # the check package loads the pipeline; formatters need only its data
    from ..check.model import CheckReport, Issue
    from ..models import Claim

EVIDENCE_CHARS = 200
TOOL = "reconcile"


def display_path(path: str | None, fallback: str = "stdin") -> str:
    """A path as CI systems want it: relative to the working directory when inside it, with '/'."""
    if path is None:
        return fallback
    absolute = os.path.abspath(path)
    here = os.getcwd()
    if absolute == here or absolute.startswith(here.rstrip(os.sep) + os.sep):
        path = os.path.relpath(absolute, here)
    return path.replace(os.sep, "/")


def rule_id(issue: Issue) -> str:
    """"contradiction/numeric", "disputed", ...: the verdict, and the kind of a contradiction."""
    kind = issue.finding.kind
    return issue.verdict + (f"/{kind}" if kind and issue.verdict == "contradiction" else "")


def title(issue: Issue) -> str:
    kind = f" ({issue.finding.kind})" if issue.finding.kind else ""
    return f"reconcile: {issue.verdict}{kind}"


def cut(text: str, limit: int = EVIDENCE_CHARS) -> str:
    flat = " ".join(printable(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "\u2026"


def evidence_lines(issue: Issue, paths: dict[str, str | None]) -> list[str]:
    """One line per source claim: "wire (news/wire.txt:3): the sentence"."""
    return [f"{c.source_id} ({display_path(paths.get(c.source_id), c.source_id)}:{c.sentence.line}): "
            f"{cut(c.sentence.text)}" for c in evidence_of(issue)]


def evidence_of(issue: Issue) -> tuple[Claim, ...]:
    claims = issue.finding.claims
    return claims if issue.verdict == "omitted" else claims[1:]


def message(issue: Issue, paths: dict[str, str | None]) -> str:
    """The summary, then the evidence, one claim a line."""
    return "\n".join([printable(issue.finding.summary), *evidence_lines(issue, paths)])


def sentence_end(claim: Claim) -> tuple[int, int]:
    """Line and column one past the end of a claim's sentence."""
    text = claim.sentence.text
    if "\n" not in text:
        return claim.sentence.line, claim.sentence.column + len(text)
    return claim.sentence.line + text.count("\n"), len(text.rsplit("\n", 1)[1]) + 1


def counts_line(report: CheckReport) -> str:
    errors = sum(1 for i in report.issues if i.severity == "error")
    warnings = len(report.issues) - errors
    drafts = len(report.drafts)
    sources = len(report.sources) - drafts
    line = (f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}: "
            f"{len(report.checked)} claim{'s' * (len(report.checked) != 1)} in {drafts} draft{'s' * (drafts != 1)} "
            f"checked against {sources} source{'s' * (sources != 1)}")
    if report.suppressed:
        line += f"; {len(report.suppressed)} suppressed"
    return line


def paths_of(report: CheckReport) -> dict[str, str | None]:
    return dict(report.paths)
