"""The integration files: the pre-commit hooks and the GitHub composite action run the command
they promise, with the arguments they pass."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from reconcile.cli import main

from conftest import FIXTURES, REPO

KYIV = FIXTURES / "kyiv-drones"
WRONG = FIXTURES / "drafts" / "kyiv-drones-wrong.md"
FAITHFUL = FIXTURES / "drafts" / "kyiv-drones-faithful.md"


def load(name: str):
    return yaml.safe_load((REPO / name).read_text(encoding="utf-8"))


# --- pre-commit -------------------------------------------------------------------------------

def test_pre_commit_hooks_are_complete():
    hooks = load(".pre-commit-hooks.yaml")
    assert [h["id"] for h in hooks] == ["reconcile-check", "reconcile-check-changed"]
    for hook in hooks:
        assert {"id", "name", "entry", "language", "description"} <= set(hook)
        assert hook["language"] == "python" and hook["entry"].startswith("reconcile check")
        assert hook["args"][-1] == "--"  # the file names pre-commit appends are drafts


@pytest.mark.parametrize("hook_id", ["reconcile-check", "reconcile-check-changed"])
def test_pre_commit_passes_its_file_names_as_drafts(hook_id, tmp_path, monkeypatch):
    """A repository where the faithful draft is committed and the wrong one is the staged edit."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    hook = next(h for h in load(".pre-commit-hooks.yaml") if h["id"] == hook_id)
    shutil.copytree(KYIV, tmp_path / "sources")
    (tmp_path / "drafts").mkdir()
    shutil.copy(FAITHFUL, tmp_path / "drafts" / "kyiv.md")
    shutil.copy(FAITHFUL, tmp_path / "drafts" / "other.md")
    env = {"GIT_AUTHOR_NAME": "Desk", "GIT_AUTHOR_EMAIL": "desk@example.org", "GIT_COMMITTER_NAME": "Desk",
           "GIT_COMMITTER_EMAIL": "desk@example.org", "HOME": str(tmp_path), "PATH": os.environ.get("PATH", "")}
    for args in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "drafts"]):
        subprocess.run(["git", *args], cwd=tmp_path, env=env, check=True, capture_output=True)
    shutil.copy(WRONG, tmp_path / "drafts" / "kyiv.md")
    monkeypatch.chdir(tmp_path)
    command = hook["entry"].split()[1:] + hook["args"] + ["drafts/kyiv.md", "drafts/other.md"]  # as pre-commit calls it
    result = CliRunner().invoke(main, command)
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert "drafts/kyiv.md against broadsheet, cable, wire" in result.stdout
    assert "drafts/other.md against broadsheet, cable, wire" in result.stdout  # a draft, not a source


# --- GitHub Actions ---------------------------------------------------------------------------

def test_the_action_is_a_composite_that_installs_and_runs_check_with_the_github_format():
    action = load("action.yml")
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    assert steps[0]["uses"].startswith("actions/setup-python@")
    assert "pip install" in steps[1]["run"] and "$GITHUB_ACTION_PATH" in steps[1]["run"]
    script = steps[2]["run"]
    assert "--format github" in script and "reconcile " in script
    assert "${{" not in script  # inputs reach the script through the environment only
    assert set(action["inputs"]) >= {"drafts", "sources", "fail-on", "diff", "config", "baseline", "args"}
    assert all(action["inputs"][name].get("required") for name in ("drafts", "sources"))


def run_action_script(env_inputs: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    """The action's check step, run by bash with the inputs as the action passes them."""
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    step = load("action.yml")["runs"]["steps"][2]
    env = {key: value for key, value in step["env"].items()}
    defaults = {name: str(spec.get("default", "")) for name, spec in load("action.yml")["inputs"].items()}
    values = {**defaults, **env_inputs}
    for key, expression in env.items():
        name = expression.removeprefix("${{ inputs.").removesuffix(" }}")
        env[key] = values[name]
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
    env["HOME"] = str(cwd)
    return subprocess.run(["bash", "-c", step["run"]], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture
def workspace(tmp_path) -> Path:
    shutil.copytree(KYIV, tmp_path / "sources")
    (tmp_path / "drafts").mkdir()
    shutil.copy(WRONG, tmp_path / "drafts" / "kyiv.md")
    (tmp_path / ".git").mkdir()  # the project root: no config above it is read
    return tmp_path


def test_the_action_annotates_the_wrong_draft_and_fails(workspace):
    if shutil.which("reconcile", path=os.path.dirname(sys.executable)) is None:
        pytest.skip("the reconcile script is not installed next to this Python")
    done = run_action_script({"drafts": "drafts/", "sources": "sources/"}, workspace)
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert lines and all(line.startswith(("::error ", "::warning ")) for line in lines)
    assert any(line.startswith("::error file=drafts/kyiv.md,line=9,") for line in lines)
    assert done.returncode == 1


def test_the_action_passes_its_inputs(workspace):
    if shutil.which("reconcile", path=os.path.dirname(sys.executable)) is None:
        pytest.skip("the reconcile script is not installed next to this Python")
    done = run_action_script({"drafts": "drafts/", "sources": "sources/", "fail-on": "never", "coverage": "true",
                              "args": "--min-confidence 0.1"}, workspace)
    assert done.returncode == 0, done.stderr
    (workspace / "strict.yaml").write_text("fail-on: disputed\n", encoding="utf-8")
    shutil.copy(FAITHFUL, workspace / "drafts" / "kyiv.md")
    done = run_action_script({"drafts": "drafts/kyiv.md", "sources": "sources/broadsheet.md sources/cable.txt "
                              "sources/wire.txt", "fail-on": "", "config": "strict.yaml"}, workspace)
    assert "Invalid value for '--fail-on'" in done.stderr  # an empty fail-on is passed as given
    done = run_action_script({"drafts": "drafts/kyiv.md", "sources": "sources/", "fail-on": "disputed"}, workspace)
    assert done.returncode == 1 and "::warning" not in done.stdout  # disputed claims are now errors
