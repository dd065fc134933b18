"""Config files: discovery by walking up, validation that names the key and the file, and the
pipeline Config they turn into."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from reconcile.config import find_config, load_config, load_config_file, pipeline_config, source_names
from reconcile.errors import ConfigError


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- discovery --------------------------------------------------------------------------------

def test_found_by_walking_up_from_a_subdirectory(tmp_path):
    config = write(tmp_path / "reconcile.yaml", "fail-on: disputed\n")
    deep = tmp_path / "drafts" / "2024" / "storm"
    deep.mkdir(parents=True)
    assert find_config(deep) == config
    assert load_config(deep)["fail-on"] == "disputed"


def test_the_nearest_file_wins(tmp_path):
    write(tmp_path / "reconcile.yaml", "fail-on: disputed\n")
    near = write(tmp_path / "drafts" / ".reconcile.yaml", "fail-on: never\n")
    assert find_config(tmp_path / "drafts") == near


def test_in_one_folder_reconcile_yaml_then_dot_file_then_pyproject(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.reconcile]\nfail-on = 'any'\n")
    assert load_config(tmp_path)["fail-on"] == "any"
    write(tmp_path / ".reconcile.yaml", "fail-on: unsupported\n")
    assert load_config(tmp_path)["fail-on"] == "unsupported"
    write(tmp_path / "reconcile.yaml", "fail-on: disputed\n")
    assert load_config(tmp_path)["fail-on"] == "disputed"


def test_pyproject_without_a_reconcile_table_is_skipped(tmp_path):
    write(tmp_path / "reconcile.yaml", "coverage: true\n")
    write(tmp_path / "sub" / "pyproject.toml", "[tool.black]\nline-length = 100\n")
    assert find_config(tmp_path / "sub") == tmp_path / "reconcile.yaml"


def test_pyproject_table_is_read_with_its_keys(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.reconcile]\ncoverage = true\n[tool.reconcile.thresholds]\n"
                                       "align-cutoff = 70\n")
    settings = load_config(tmp_path)
    assert settings["coverage"] is True and settings["thresholds"] == {"align-cutoff": 70.0}
    assert settings["path"] == str(tmp_path / "pyproject.toml")


def test_the_walk_stops_at_the_project_root(tmp_path):
    write(tmp_path / "reconcile.yaml", "fail-on: never\n")
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "repo" / "drafts").mkdir()
    assert find_config(tmp_path / "repo" / "drafts") is None
    assert load_config(tmp_path / "repo" / "drafts") == {}


def test_explicit_path_wins_over_discovery(tmp_path):
    write(tmp_path / "reconcile.yaml", "fail-on: never\n")
    other = write(tmp_path / "ci" / "strict.yaml", "fail-on: any\n")
    assert load_config(tmp_path, other)["fail-on"] == "any"


def test_explicit_path_that_does_not_exist(tmp_path):
    with pytest.raises(ConfigError, match=r"nope\.yaml: config file not found"):
        load_config(tmp_path, tmp_path / "nope.yaml")


def test_empty_file_is_no_settings(tmp_path):
    write(tmp_path / "reconcile.yaml", "# nothing yet\n")
    assert load_config(tmp_path) == {"path": str(tmp_path / "reconcile.yaml")}


# --- validation -------------------------------------------------------------------------------

@pytest.mark.parametrize("text,message", [
    ("fail_on: never\n", r"fail_on: unknown key \(did you mean 'fail-on'\?\)"),
    ("colour: red\n", r"colour: unknown key \(known: "),
    ("fail-on: sometimes\n", r"fail-on: expected one of contradiction, disputed, unsupported, any, never, got 'sometimes'"),
    ("fail-on: 3\n", r"fail-on: expected one of .*got 3"),
    ("coverage: yes please\n", r"coverage: expected true or false, got a string"),
    ("coverage-min-sources: 0\n", r"coverage-min-sources: expected a number at least 1, got 0"),
    ("coverage-min-sources: 2.5\n", r"coverage-min-sources: expected an integer, got a number"),
    ("min-confidence: 2\n", r"min-confidence: expected a number between 0.0 and 1.0, got 2"),
    ("thresholds: 60\n", r"thresholds: expected a mapping, got an integer"),
    ("thresholds:\n  align-cutoff: high\n", r"thresholds.align-cutoff: expected a number, got a string"),
    ("thresholds:\n  cutoff: 60\n", r"thresholds.cutoff: unknown key \(did you mean 'align-cutoff'\?\)"),
    ("sources:\n  wire:\n    outlet: AP\n", r"sources.wire.outlet: unknown key"),
    ("sources:\n  wire:\n    date: [1, 2]\n", r"sources.wire.date: expected a non-empty string, got a list"),
    ("sources: [wire]\n", r"sources: expected a mapping of source ids, got a list"),
    ("ignore: {verdict: disputed}\n", r"ignore: expected a list of rules, got a mapping"),
    ("ignore:\n  - verdict: wrong\n", r"ignore\[0\].verdict: expected one of contradiction, disputed, unsupported, omitted"),
    ("ignore:\n  - {}\n", r"ignore\[0\]: an ignore rule needs at least one of verdict"),
    ("ignore:\n  - kind: [numeric, sideways]\n", r"ignore\[0\].kind\[1\]: expected one of numeric"),
    ("ignore:\n  - path: 7\n", r"ignore\[0\].path: expected a string or a list of strings, got an integer"),
    ("lexicon:\n  hedges: {}\n", r"lexicon.hedges: unknown lexicon section"),
    ("lexicon:\n  stance: [x]\n", r"lexicon.stance: expected a mapping, got a list"),
    ("lexicon:\n  words:\n    stopwords: lots\n", r"lexicon: .*expected a list, got str"),
    ("- fail-on\n", r"expected a mapping of settings at the top level, got a list"),
    ("fail-on: [never\n", r"invalid YAML near line 2"),
])
def test_invalid_settings_name_the_file_and_the_key(tmp_path, text, message):
    path = write(tmp_path / "reconcile.yaml", text)
    with pytest.raises(ConfigError, match=message) as info:
        load_config(tmp_path)
    assert str(info.value).startswith(f"{path}: ")


def test_invalid_toml_names_the_file(tmp_path):
    path = write(tmp_path / "pyproject.toml", "[tool.reconcile]\nfail-on = \n")
    with pytest.raises(ConfigError, match="invalid TOML") as info:
        load_config(tmp_path)
    assert str(info.value).startswith(str(path))


def test_wrong_type_in_pyproject_names_the_key(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.reconcile]\ncoverage = 'on'\n")
    with pytest.raises(ConfigError, match=r"pyproject.toml: coverage: expected true or false"):
        load_config(tmp_path)


def test_a_full_config_is_accepted_and_normalised(tmp_path):
    path = write(tmp_path / "newsroom" / "reconcile.yaml", """\
fail-on: disputed
coverage: true
coverage-min-sources: 3
min-confidence: 0.25
baseline: ci/baseline.json
thresholds:
  align-cutoff: 70
  min-agreement-score: 65.5
  negation-margin: 5
lexicon:
  stance:
    hedged:
      - id: hedge.newsroom
        pattern: \\bour sources suggest\\b
        must: ["Our sources suggest the mayor resigned."]
        must_not: ["The mayor resigned."]
sources:
  wire: {name: Harbour Wire, date: 2024-03-05}
  daily: {date: "2024-03-05T18:00:00Z"}
ignore:
  - verdict: unsupported
    path: "drafts/opinion/*.md"
  - contains: weather forecast
""")
    settings = load_config_file(path)
    assert settings["fail-on"] == "disputed" and settings["coverage-min-sources"] == 3
    assert settings["baseline"] == str(tmp_path / "newsroom" / "ci" / "baseline.json")
    assert settings["sources"]["wire"] == {"name": "Harbour Wire", "date": "2024-03-05T00:00:00Z"}
    assert settings["ignore"][0] == {"verdict": ("unsupported",), "path": ("drafts/opinion/*.md",)}
    assert source_names(settings) == {"wire": "Harbour Wire"}


def test_yaml_dates_and_datetimes_become_utc_iso_strings(tmp_path):
    write(tmp_path / "reconcile.yaml", "sources:\n  a: {date: 2024-03-05}\n  b: {date: 2024-03-05 18:30:00}\n"
                                       "  c: {date: '5 March 2024 18:30 CET'}\n")
    sources = load_config(tmp_path)["sources"]
    assert sources["a"]["date"] == "2024-03-05T00:00:00Z"
    assert sources["b"]["date"] == "2024-03-05T18:30:00Z"
    assert sources["c"]["date"] == "2024-03-05T17:30:00Z"


def test_a_config_date_that_is_not_a_date_names_the_key(tmp_path):
    write(tmp_path / "reconcile.yaml", "sources:\n  wire: {date: yesterday}\n")
    with pytest.raises(ConfigError, match=r"reconcile.yaml: sources.wire.date: 'yesterday' is not a date"):
        load_config(tmp_path)


# --- into the pipeline's Config -----------------------------------------------------------------

def test_pipeline_config_carries_thresholds_lexicon_and_dates(tmp_path):
    write(tmp_path / "reconcile.yaml", """\
thresholds: {align-cutoff: 71, min-agreement-score: 64, negation-margin: 4}
lexicon:
  words:
    stopwords: [velmar]
sources:
  wire: {date: 2024-03-05}
  daily: {date: 2024-03-04}
""")
    config = pipeline_config(load_config(tmp_path), dates=(("daily", "2024-03-06T09:00Z"),))
    assert config.align.cutoff == 71.0
    assert (config.judge.min_agreement_score, config.judge.negation_margin) == (64.0, 4.0)
    assert "velmar" in config.lexicon.get("words")["stopwords"]
    assert dict(config.dates) == {"wire": "2024-03-05T00:00:00Z", "daily": "2024-03-06T09:00Z"}  # the command line wins


def test_no_settings_give_the_default_config():
    from reconcile.pipeline import Config

    assert pipeline_config({}) == Config()


def test_the_config_knows_the_same_verdicts_and_thresholds_as_the_check():
    from reconcile import config
    from reconcile.check import model

    assert config.FAIL_ON == model.FAIL_ON and config.CHECK_VERDICTS == model.CHECK_VERDICTS
