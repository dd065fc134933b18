"""Suppressions for `reconcile check`: inline markers in a draft, a baseline file, ignore rules from
the config, and `--diff`, which keeps only the lines a draft changed since a git revision.

An accepted discrepancy is remembered by a fingerprint of its verdict, kind and the draft's
sentence, never by line number: it stops failing the build until that sentence changes.
"""
from __future__ import annotations

import fnmatch
import json
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Iterable

from ..errors import ConfigError, InputError
from .model import CHECK_VERDICTS as VERDICTS

# <!-- reconcile: ignore -->, optionally naming verdicts: <!-- reconcile: ignore disputed, unsupported -->
MARKER = re.compile(r"<!--[ \t]*reconcile:[ \t]*ignore\b([^\n]*?)-->", re.I)
BASELINE_SCHEMA = "reconcile.baseline/1"


@dataclass(frozen=True)
class Markers:
    """Lines of a draft whose findings are ignored; `verdicts` None means every verdict."""

    lines: tuple[tuple[int, frozenset[str] | None], ...] = ()

    def ignores(self, first_line: int, last_line: int, verdict: str) -> bool:
        return any(first_line <= line <= last_line and (verdicts is None or verdict in verdicts)
                   for line, verdicts in self.lines)


def find_markers(text: str, where: str = "draft") -> tuple[str, Markers]:
    """The text with every marker blanked (same length, so offsets hold) and the lines they cover.

    A marker alone on its line covers the next line that has text; a marker after text on a
    line (a trailing comment) covers that line.
    """
    lines = text.split("\n")
    covered: list[tuple[int, frozenset[str] | None]] = []
    out = []
    for number, line in enumerate(lines, start=1):
        matches = list(MARKER.finditer(line))
        if not matches:
            out.append(line)
            continue
        blanked = line
        for match in matches:
            verdicts = _verdicts(match.group(1), f"{where}:{number}")
            rest = (line[:match.start()] + line[match.end():]).strip()
            target = number if rest else _next_text_line(lines, number)
            if target is not None:
                covered.append((target, verdicts))
            blanked = blanked[:match.start()] + " " * (match.end() - match.start()) + blanked[match.end():]
        out.append(blanked)
    return "\n".join(out), Markers(tuple(covered))


def _verdicts(spec: str, where: str) -> frozenset[str] | None:
    names = [n for n in re.split(r"[\s,]+", spec.strip()) if n]
    if not names:
        return None
    unknown = [n for n in names if n.lower() not in VERDICTS]
    if unknown:
        raise InputError(where, f"reconcile: ignore names an unknown verdict {unknown[0]!r} (known: {', '.join(VERDICTS)})")
    return frozenset(n.lower() for n in names)


def _next_text_line(lines: list[str], number: int) -> int | None:
    for later in range(number, len(lines)):  # lines[number] is the line after `number`
        if MARKER.sub("", lines[later]).strip():
            return later + 1
    return None


# --- ignore rules from the config -------------------------------------------------------------

def rule_matches(rule: dict, *, path: str | None, verdict: str, kind: str | None, text: str,
                 sources: Iterable[str], rules: Iterable[str]) -> bool:
    """Whether one `ignore:` rule of the config covers a finding: every key it gives must match."""
    if "verdict" in rule and verdict not in rule["verdict"]:
        return False
    if "kind" in rule and kind not in rule["kind"]:
        return False
    if "path" in rule:
        shown = PurePosixPath(path.replace(os.sep, "/")) if path else None
        if shown is None or not any(shown.match(p) or fnmatch.fnmatch(str(shown), p) for p in rule["path"]):
            return False
    if "contains" in rule and rule["contains"].lower() not in " ".join(text.split()).lower():
        return False
    if "source" in rule and not set(rule["source"]) & set(sources):
        return False
    if "rule" in rule and not any(r == p or r.startswith(p.rstrip(".") + ".") for r in rules for p in rule["rule"]):
        return False
    return True


# --- baseline ---------------------------------------------------------------------------------

def baseline_key(draft_path: str | None, base_dir: str | os.PathLike) -> str:
    """The draft's path relative to the baseline file's folder, with forward slashes."""
    if draft_path is None:
        return "<stdin>"
    try:
        rel = os.path.relpath(os.path.abspath(draft_path), os.path.abspath(base_dir))
    except ValueError:  # another drive on Windows
        rel = os.path.abspath(draft_path)
    return rel.replace(os.sep, "/")


def load_baseline(path: str | os.PathLike) -> frozenset[tuple[str, str]]:
    """(draft key, fingerprint) pairs of the accepted findings in a baseline file."""
    where = str(path)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(where, "baseline file not found (create it with --write-baseline)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(where, f"cannot read baseline ({getattr(exc, 'strerror', None) or exc})") from None
    except json.JSONDecodeError as exc:
        raise InputError(where, f"baseline is not valid JSON (line {exc.lineno})") from None
    if not isinstance(data, dict) or data.get("schema") != BASELINE_SCHEMA or not isinstance(data.get("findings"), list):
        raise InputError(where, f"not a reconcile baseline (expected schema {BASELINE_SCHEMA})")
    keys = set()
    for n, entry in enumerate(data["findings"]):
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str) \
                or not isinstance(entry.get("fingerprint"), str):
            raise InputError(where, f"findings[{n}] needs a path and a fingerprint")
        keys.add((entry["path"], entry["fingerprint"]))
    return frozenset(keys)


def baseline_text(entries: Iterable[dict]) -> str:
    """The baseline file: sorted, one finding per entry, readable in a review."""
    ordered = sorted(entries, key=lambda e: (e["path"], e["line"], e["fingerprint"]))
    return json.dumps({"schema": BASELINE_SCHEMA, "findings": ordered}, ensure_ascii=False, indent=2) + "\n"


# --- --diff -----------------------------------------------------------------------------------

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.M)


def changed_lines(path: str, ref: str) -> frozenset[int] | None:
    """Lines of `path` (in the working tree) added or changed since it left `ref`.

    The comparison starts at the merge base of `ref` and HEAD, so commits made on `ref` after
    the branch was cut do not count, and uncommitted edits do. None means the whole file is new.
    """
    folder = os.path.dirname(os.path.abspath(path))
    top = _git(["rev-parse", "--show-toplevel"], folder, path, "not inside a git repository (needed by --diff)").strip()
    if not _git_ok(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], top):
        raise ConfigError(f"--diff {ref}: unknown git revision")
    base = ref
    merge_base = _git_ok(["merge-base", ref, "HEAD"], top)
    if merge_base:
        base = merge_base.strip()
    rel = os.path.relpath(os.path.realpath(path), os.path.realpath(top)).replace(os.sep, "/")
    if _git_ok(["cat-file", "-e", f"{base}:{rel}"], top) is None:
        return None
    diff = _git(["diff", "--no-color", "--no-ext-diff", "--unified=0", base, "--", rel], top, path, "git diff failed")
    lines: set[int] = set()
    for match in _HUNK.finditer(diff):
        start, count = int(match.group(1)), int(match.group(2) or 1)
        lines.update(range(start, start + count))
    return frozenset(lines)


def _git(args: list[str], cwd: str, where: str, problem: str) -> str:
    out = _run(args, cwd)
    if out is None or out.returncode != 0:
        detail = (out.stderr.strip().splitlines() or [""])[0] if out is not None else "git is not installed"
        raise InputError(where, problem + (f": {detail}" if detail else ""))
    return out.stdout


def _git_ok(args: list[str], cwd: str) -> str | None:
    out = _run(args, cwd)
    return out.stdout if out is not None and out.returncode == 0 else None


def _run(args: list[str], cwd: str):
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8",
                              errors="replace", check=False, env={**os.environ, "GIT_TERMINAL_PROMPT": "0",
                                                                  "LC_ALL": "C"})
    except (FileNotFoundError, NotADirectoryError):
        return None
