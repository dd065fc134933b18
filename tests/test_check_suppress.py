"""Suppressions: inline markers, config ignore rules, the baseline file, and the lines of a git diff."""
from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from reconcile.errors import ConfigError, InputError
from reconcile.check.suppress import (BASELINE_SCHEMA, baseline_key, baseline_text, changed_lines, find_markers,
                                load_baseline, rule_matches)

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


# --- inline markers ---------------------------------------------------------------------------

def test_a_marker_on_its_own_line_covers_the_next_line_with_text():
    text = "Intro line.\n<!-- reconcile: ignore -->\n\nThe toll rose to 11.\nNext.\n"
    blanked, markers = find_markers(text)
    assert len(blanked) == len(text) and "reconcile" not in blanked
    assert blanked.splitlines()[0] == "Intro line." and blanked.splitlines()[3] == "The toll rose to 11."
    assert markers.ignores(4, 4, "contradiction")
    assert not markers.ignores(5, 5, "contradiction") and not markers.ignores(1, 1, "contradiction")


def test_a_trailing_marker_covers_its_own_line():
    text = "The toll rose to 11. <!-- reconcile: ignore -->\nIran supplied the drones.\n"
    blanked, markers = find_markers(text)
    assert blanked.startswith("The toll rose to 11.") and blanked.split("\n")[0].rstrip() == "The toll rose to 11."
    assert markers.ignores(1, 1, "disputed") and not markers.ignores(2, 2, "disputed")


def test_a_sentence_over_several_lines_is_covered_by_a_marker_on_any_of_them():
    _, markers = find_markers("First half of a sentence\nand its end. <!-- reconcile: ignore -->\n")
    assert markers.ignores(1, 2, "contradiction")


def test_a_marker_can_name_the_verdicts_it_accepts():
    _, markers = find_markers("<!-- reconcile: ignore disputed, unsupported -->\nThe toll rose to 11.\n")
    assert markers.ignores(2, 2, "disputed") and markers.ignores(2, 2, "unsupported")
    assert not markers.ignores(2, 2, "contradiction")


def test_a_marker_with_an_unknown_verdict_is_an_error_that_names_the_line():
    with pytest.raises(InputError, match=r"draft.md:2: .*unknown verdict 'contradictions'"):
        find_markers("Text.\n<!-- reconcile: ignore contradictions -->\nMore.\n", "draft.md")


def test_other_comments_are_left_alone():
    text = "<!-- TODO: check the toll -->\nThe toll rose to 11.\n"
    blanked, markers = find_markers(text)
    assert blanked == text and markers.lines == ()


# --- config ignore rules ------------------------------------------------------------------------

FINDING = dict(path="drafts/opinion/storm.md", verdict="unsupported", kind=None,
               text="A local  club offered its stadium as a shelter.", sources=["wire"], rules=["check.unsupported"])


@pytest.mark.parametrize("rule,matches", [
    ({"verdict": ("unsupported",)}, True),
    ({"verdict": ("contradiction", "disputed")}, False),
    ({"path": ("drafts/opinion/*.md",)}, True),
    ({"path": ("*.md",)}, True),
    ({"path": ("drafts/news/*.md",)}, False),
    ({"contains": "CLUB OFFERED"}, True),
    ({"contains": "club offered its stadium as a shelter"}, True),
    ({"contains": "football"}, False),
    ({"source": ("wire", "daily")}, True),
    ({"source": ("daily",)}, False),
    ({"rule": ("check",)}, True),
    ({"rule": ("check.unsupported",)}, True),
    ({"rule": ("check.un",)}, False),
    ({"verdict": ("unsupported",), "contains": "football"}, False),
])
def test_an_ignore_rule_matches_when_every_key_it_gives_matches(rule, matches):
    assert rule_matches(rule, **FINDING) is matches


def test_a_path_rule_never_matches_standard_input():
    assert not rule_matches({"path": ("*",)}, **{**FINDING, "path": None})


# --- baseline -----------------------------------------------------------------------------------

def test_baseline_round_trip(tmp_path):
    entries = [{"path": "drafts/b.md", "fingerprint": "f2", "verdict": "disputed", "kind": None, "line": 3, "text": "B."},
               {"path": "drafts/a.md", "fingerprint": "f1", "verdict": "contradiction", "kind": "numeric", "line": 9,
                "text": "The toll rose to 11."}]
    path = tmp_path / "baseline.json"
    path.write_text(baseline_text(entries), encoding="utf-8")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["schema"] == BASELINE_SCHEMA
    assert [e["path"] for e in data["findings"]] == ["drafts/a.md", "drafts/b.md"]  # sorted: stable diffs
    assert load_baseline(path) == {("drafts/a.md", "f1"), ("drafts/b.md", "f2")}


@pytest.mark.parametrize("content,problem", [
    (None, "baseline file not found"),
    ("{not json", "not valid JSON"),
    ('{"schema": "other", "findings": []}', "not a reconcile baseline"),
    ('{"schema": "reconcile.baseline/1", "findings": [{"path": "a.md"}]}', r"findings\[0\] needs a path and a fingerprint"),
])
def test_a_broken_baseline_is_an_input_error(tmp_path, content, problem):
    path = tmp_path / "baseline.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=problem):
        load_baseline(path)


def test_baseline_keys_are_relative_to_the_baseline_folder(tmp_path):
    assert baseline_key(str(tmp_path / "drafts" / "a.md"), tmp_path) == "drafts/a.md"
    assert baseline_key(str(tmp_path / "a.md"), tmp_path / "ci") == "../a.md"
    assert baseline_key(None, tmp_path) == "<stdin>"


# --- git diff -----------------------------------------------------------------------------------

def git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": str(cwd), "PATH": "/usr/bin:/bin:/usr/local/bin"})


@needs_git
def test_changed_lines_since_a_revision(tmp_path):
    git(tmp_path, "init", "-q", "-b", "main")
    draft = tmp_path / "draft.md"
    draft.write_text("one\ntwo\nthree\nfour\nfive\n", encoding="utf-8")
    git(tmp_path, "add", "draft.md")
    git(tmp_path, "commit", "-q", "-m", "draft")
    draft.write_text("one\nTWO\nthree\nfour\nfive\nsix\nseven\n", encoding="utf-8")  # uncommitted edits count
    assert changed_lines(str(draft), "HEAD") == {2, 6, 7}
    draft.write_text("one\nthree\nfour\nfive\n", encoding="utf-8")  # a pure deletion changes no line
    assert changed_lines(str(draft), "HEAD") == frozenset()


@needs_git
def test_a_draft_that_did_not_exist_at_the_revision_is_all_new(tmp_path):
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "other.md").write_text("x\n", encoding="utf-8")
    git(tmp_path, "add", "other.md")
    git(tmp_path, "commit", "-q", "-m", "other")
    (tmp_path / "new.md").write_text("fresh\n", encoding="utf-8")
    assert changed_lines(str(tmp_path / "new.md"), "HEAD") is None


@needs_git
def test_an_unknown_revision_or_no_repository_is_an_error(tmp_path):
    (tmp_path / "draft.md").write_text("x\n", encoding="utf-8")
    with pytest.raises(InputError, match="not inside a git repository"):
        changed_lines(str(tmp_path / "draft.md"), "HEAD")
    git(tmp_path, "init", "-q", "-b", "main")
    with pytest.raises(ConfigError, match="--diff no-such-branch: unknown git revision"):
        changed_lines(str(tmp_path / "draft.md"), "no-such-branch")
