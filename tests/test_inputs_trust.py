"""A case manifest can come from anyone: its paths stay inside its folder unless --allow-outside."""
import json
import os

import pytest
from click.testing import CliRunner

from reconcile.cli import main
from reconcile.errors import InputError
from reconcile.ingest import Trust, load_sources

A = "Flood water reached the old mill on Tuesday, the fire service said.\nAbout 40 homes were evacuated.\n"
B = "Flood water reached the old mill on Tuesday, officials said.\nAbout 45 homes were evacuated.\n"


def run(*args):
    return CliRunner().invoke(main, [*map(str, args)])


@pytest.fixture
def case(tmp_path):
    """case/case.yaml beside case/a.txt, with outside.txt (B) one folder up."""
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "a.txt").write_text(A, encoding="utf-8")
    (tmp_path / "outside.txt").write_text(B, encoding="utf-8")
    return folder


def manifest(folder, path):
    target = folder / "case.yaml"
    target.write_text(f"event: Mill flood\nsources:\n  - path: a.txt\n  - path: {path}\n", encoding="utf-8")
    return target


def ways_out(folder):
    (folder / "link.txt").symlink_to(folder.parent / "outside.txt")
    return {"parent": "../outside.txt", "deep": "../" * 12 + str(folder.parent / "outside.txt").lstrip("/"),
            "absolute": str(folder.parent / "outside.txt"), "link": "link.txt"}


@pytest.mark.parametrize("way", ["parent", "deep", "absolute", "link"])
def test_a_path_outside_the_manifest_folder_is_refused(case, way):
    path = ways_out(case)[way]
    target = manifest(case, path)
    result = run("compare", target, "-f", "json")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        f"reconcile: error: {target}: line 4: {path} is outside the manifest's folder; pass --allow-outside to read it"]
    with pytest.raises(InputError, match="outside the manifest's folder"):
        load_sources([str(target)])


@pytest.mark.parametrize("way", ["parent", "deep", "absolute", "link"])
def test_allow_outside_reads_it(case, way):
    target = manifest(case, ways_out(case)[way])
    result = run("compare", target, "-f", "json", "--allow-outside")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["sources"]) == 2
    assert len(load_sources([str(target)], trust=Trust(outside=True))) == 2


def test_a_missing_file_outside_is_refused_as_outside_not_as_missing(case):
    result = run("compare", manifest(case, "../../no/such/file.txt"))
    assert result.exit_code == 2 and "outside the manifest's folder" in result.stderr


def test_a_subfolder_is_inside(case):
    (case / "sub").mkdir()
    (case / "sub" / "b.txt").write_text(B, encoding="utf-8")
    assert run("compare", manifest(case, "sub/b.txt"), "-f", "json").exit_code == 0


@pytest.mark.parametrize("command", ["compare", "batch"])
def test_every_command_that_reads_manifests_refuses_and_allows(case, command):
    target = manifest(case, "../outside.txt")
    assert run(command, target).exit_code == 2
    assert run(command, target, "--allow-outside").exit_code == 0


def test_check_refuses_and_allows(case):
    target = manifest(case, "../outside.txt")
    draft = case.parent / "draft.md"
    draft.write_text(A, encoding="utf-8")
    assert run("check", draft, "--against", target).exit_code == 2
    assert run("check", draft, "--against", target, "--allow-outside").exit_code in (0, 1)


@pytest.mark.parametrize("path,problem", [('"b\\0.txt"', "`path` should be a file name"),
                                          ("x" * 5000, "no such file")])
def test_a_manifest_path_the_file_system_refuses_is_a_one_line_error(case, path, problem):
    result = run("compare", manifest(case, path))
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert len(result.stderr.splitlines()) == 1 and problem in result.stderr and "line 4" in result.stderr


@pytest.mark.parametrize("url", ["http://localhost:9/a.txt", "http://[::1]:9/a.txt", "http://127.0.0.2:9/a.txt",
                                 "http://169.254.169.254/latest/meta-data/"])
def test_a_private_address_is_refused_before_anything_is_sent(case, url):
    result = run("compare", case / "a.txt", url)
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1
    assert "private, loopback or link-local address" in result.stderr  # not "connection refused": never tried
