"""ARCHITECTURE.md names real paths and functions, and the stages keep to their rooms."""
import importlib
import re

from conftest import REPO

TEXT = (REPO / "ARCHITECTURE.md").read_text(encoding="utf-8")


def test_every_path_it_names_exists():
    paths = set(re.findall(r"`(reconcile/[\w/.]*)`", TEXT))
    assert len(paths) >= 15
    for path in sorted(paths):
        assert (REPO / path).exists(), path


def test_every_stage_function_in_its_table_is_where_it_says():
    rows = re.findall(r"^\| (\w+) \| `(reconcile/[\w/.]+)` \| `(\w+)` \|", TEXT, re.M)
    assert [stage for stage, _, _ in rows] == ["ingest", "clean", "segment", "claims", "align", "judge", "report"]
    for _, path, function in rows:
        module = importlib.import_module(path.rstrip("/").removesuffix(".py").replace("/", "."))
        assert callable(getattr(module, function)), (path, function)


def test_support_imports_no_stage():
    stages = ("ingest", "clean", "segment", "claims", "align", "judge", "report", "check", "cli", "pipeline")
    for path in sorted((REPO / "reconcile" / "support").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        found = re.search(rf"^\s*from\s+\.\.(?:{'|'.join(stages)})\b", text, re.M)
        assert not found, (path.name, found.group(0))
