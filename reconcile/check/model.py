"""The data `reconcile check` produces: issues in drafts and the report that gathers them."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..models import Claim, Finding, Report

# Verdicts of a check, most serious first; --fail-on names a threshold in this order.
CHECK_VERDICTS = ("contradiction", "disputed", "unsupported", "omitted")
FAIL_ON = ("contradiction", "disputed", "unsupported", "any", "never")
_RANK = {"contradiction": 4, "disputed": 3, "unsupported": 2, "omitted": 1}
_THRESHOLD = {"contradiction": 4, "disputed": 3, "unsupported": 2, "any": 1, "never": 99}


def fails(verdict: str, fail_on: str) -> bool:
    """Whether a finding of this verdict fails the build under --fail-on."""
    return _RANK[verdict] >= _THRESHOLD[fail_on]


def severity(verdict: str, fail_on: str) -> str:
    """Contradictions are errors whatever --fail-on says; the rest are errors only when they fail."""
    return "error" if verdict == "contradiction" or fails(verdict, fail_on) else "warning"


@dataclass(frozen=True)
class Location:
    """Where an issue is in a draft: 1-based lines, 1-based columns in characters, end inclusive."""

    path: str | None  # the draft's path as given; None for standard input
    line: int
    column: int
    end_line: int
    end_column: int
    start: int = 0  # character offsets into the draft's text
    end: int = 0
    byte_column: int = 1  # columns in UTF-8 bytes, for formats that count bytes (rdjson)
    byte_end_column: int = 1


@dataclass(frozen=True)
class Issue:
    """One finding about one claim of a draft, with the evidence from the sources.

    `finding.claims[0]` is the draft's claim (for `omitted`, the sources' claim the draft leaves
    out); the other claims are the evidence, contradicting sources first.
    """

    finding: Finding
    draft: str  # the draft's source id
    location: Location
    fingerprint: str
    severity: str = "warning"
    against: tuple[str, ...] = ()  # ids of the sources that contradict the draft's claim
    supported_by: tuple[str, ...] = ()  # ids of the sources that tell it the draft's way
    suppressed: str | None = None  # "inline", "baseline" or "config" when an accepted issue

    @property
    def verdict(self) -> str:
        return self.finding.verdict

    @property
    def claim(self) -> Claim:
        return self.finding.claims[0]


@dataclass(frozen=True)
class CheckReport(Report):
    """A Report whose findings are the issues of drafts; renders with every compare formatter too."""

    issues: tuple[Issue, ...] = ()
    suppressed: tuple[Issue, ...] = ()
    drafts: tuple[str, ...] = ()  # ids of the drafts among `sources`
    checked: tuple[Claim, ...] = ()  # every draft claim the check looked at, in draft order
    fail_on: str = "contradiction"
    paths: tuple[tuple[str, str | None], ...] = field(default=())  # (source id, path as given)

    @property
    def status(self) -> int:
        """0 nothing at or above --fail-on, 1 something is."""
        return int(any(fails(i.verdict, self.fail_on) for i in self.issues))

    def summary(self) -> dict[str, int]:
        counts = {v: 0 for v in CHECK_VERDICTS}
        for issue in self.issues:
            counts[issue.verdict] += 1
        # the report contract always counts agreements and uniques; a check reports neither
        return {**counts, "agreement": 0, "unique": 0}

    def to_dict(self, explain: bool = False) -> dict:
        out = super().to_dict(explain)
        drafts = set(self.drafts)
        for entry in out["sources"]:
            entry["role"] = "draft" if entry["id"] in drafts else "source"
        for entry, issue in zip(out["findings"], self.issues):  # findings are the issues' findings
            entry.update(_issue_fields(issue))
        out["check"] = {
            "fail_on": self.fail_on,
            "status": self.status,
            "drafts": list(self.drafts),
            "checked": len(self.checked),
            "errors": sum(1 for i in self.issues if i.severity == "error"),
            "warnings": sum(1 for i in self.issues if i.severity == "warning"),
            "suppressed": [{"fingerprint": i.fingerprint, "verdict": i.verdict, "by": i.suppressed,
                            "draft": i.draft, "line": i.location.line} for i in self.suppressed],
        }
        return out


def _issue_fields(issue: Issue) -> dict:
    loc = issue.location
    return {
        "severity": issue.severity,
        "draft": issue.draft,
        "location": {"path": loc.path, "line": loc.line, "column": loc.column, "end_line": loc.end_line,
                     "end_column": loc.end_column},
        "against": list(issue.against),
        "supported_by": list(issue.supported_by),
        "fingerprint": issue.fingerprint,
    }
