"""Config files: find `reconcile.yaml`, `.reconcile.yaml` or `[tool.reconcile]` in `pyproject.toml`
by walking up from a directory, validate them, and turn them into a `pipeline.Config`.

The file is validated as a whole before anything runs: an unknown key or a value of the wrong
type is a ConfigError that names the key and the file. Command-line options override the file;
the CLI does that merge, this module only reads.
"""
from __future__ import annotations

import datetime as _dt
import difflib
import os
from pathlib import Path
from typing import Any, Callable

from .errors import ConfigError

CONFIG_NAMES = ("reconcile.yaml", ".reconcile.yaml", "pyproject.toml")
FAIL_ON = ("contradiction", "disputed", "unsupported", "any", "never")
CHECK_VERDICTS = ("contradiction", "disputed", "unsupported", "omitted")
CONTRADICTION_KINDS = ("numeric", "denial", "hedge", "quote")
# A walk up stops at the first directory that holds one of these: the root of the project.
PROJECT_MARKERS = (".git", ".hg")


# --- validators: each takes (value, key) and returns the normalised value or raises _Invalid --

class _Invalid(Exception):
    """A value of the wrong type or out of range; `load_config` adds the file name."""

    def __init__(self, key: str, problem: str):
        self.key = key
        self.problem = problem
        super().__init__(f"{key}: {problem}")


def _type_name(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "a string", bool: "a boolean", int: "an integer",
            float: "a number", type(None): "nothing"}.get(type(value), type(value).__name__)


def _boolean(value: Any, key: str) -> bool:
    if not isinstance(value, bool):
        raise _Invalid(key, f"expected true or false, got {_type_name(value)}")
    return value


def _number(low: float | None = None, high: float | None = None, integer: bool = False) -> Callable[[Any, str], Any]:
    def check(value: Any, key: str):
        wanted = int if integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, wanted):
            raise _Invalid(key, f"expected {'an integer' if integer else 'a number'}, got {_type_name(value)}")
        if (low is not None and value < low) or (high is not None and value > high):
            bounds = f"at least {low}" if high is None else f"between {low} and {high}"
            raise _Invalid(key, f"expected a number {bounds}, got {value}")
        return value if integer else float(value)

    return check


def _choice(choices: tuple[str, ...]) -> Callable[[Any, str], str]:
    def check(value: Any, key: str) -> str:
        if not isinstance(value, str) or value not in choices:
            raise _Invalid(key, f"expected one of {', '.join(choices)}, got {value!r}")
        return value

    return check


def _string(value: Any, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Invalid(key, f"expected a non-empty string, got {_type_name(value)}")
    return value


def _date(value: Any, key: str) -> str:
    """A publication time in reconcile's one form (see ingest/dates.py); YAML reads 2022-10-17 as a
    date and 2022-10-17 08:00:00 as a datetime: both are fine."""
    from .ingest.dates import DateError, normalise_date

    if not isinstance(value, (_dt.date, _dt.datetime)):
        _string(value, key)
    try:
        return normalise_date(value, key)
    except DateError as exc:
        raise _Invalid(key, exc.problem) from None


def _strings(choices: tuple[str, ...] | None = None) -> Callable[[Any, str], tuple[str, ...]]:
    """One string or a list of strings, optionally from a closed set."""

    def check(value: Any, key: str) -> tuple[str, ...]:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not items:
            raise _Invalid(key, f"expected a string or a list of strings, got {_type_name(value)}")
        out = []
        for n, item in enumerate(items):
            where = key if isinstance(value, str) else f"{key}[{n}]"
            out.append(_choice(choices)(item, where) if choices else _string(item, where))
        return tuple(out)

    return check


def _mapping(fields: dict[str, Callable[[Any, str], Any]]) -> Callable[[Any, str], dict]:
    def check(value: Any, key: str) -> dict:
        if not isinstance(value, dict):
            raise _Invalid(key, f"expected a mapping, got {_type_name(value)}")
        out = {}
        for name, item in value.items():
            where = f"{key}.{name}" if key else str(name)
            if name not in fields:
                raise _Invalid(where, "unknown key" + _suggest(str(name), fields))
            out[name] = fields[name](item, where)
        return out

    return check


def _suggest(name: str, known) -> str:
    close = difflib.get_close_matches(name.replace("_", "-"), list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(sorted(known))})"


def _lexicon(value: Any, key: str) -> dict:
    from .support.lexicon import LEXICON_FILES

    if not isinstance(value, dict):
        raise _Invalid(key, f"expected a mapping, got {_type_name(value)}")
    for section, body in value.items():
        if section not in LEXICON_FILES:
            raise _Invalid(f"{key}.{section}", "unknown lexicon section" + _suggest(str(section), LEXICON_FILES))
        if not isinstance(body, dict):
            raise _Invalid(f"{key}.{section}", f"expected a mapping, got {_type_name(body)}")
    return value


def _sources(value: Any, key: str) -> dict:
    if not isinstance(value, dict):
        raise _Invalid(key, f"expected a mapping of source ids, got {_type_name(value)}")
    entry = _mapping({"name": _string, "date": _date})
    return {str(sid): entry(body, f"{key}.{sid}") for sid, body in value.items()}


_IGNORE_RULE = {
    "verdict": _strings(CHECK_VERDICTS),
    "kind": _strings(CONTRADICTION_KINDS),
    "path": _strings(),  # glob patterns matched against the draft's path
    "contains": _string,  # text the draft's sentence contains (case-insensitive)
    "source": _strings(),  # ids of sources in the evidence
    "rule": _strings(),  # rule id prefixes, as in --explain ("judge.hedge")
}


def _ignore(value: Any, key: str) -> tuple[dict, ...]:
    if not isinstance(value, list):
        raise _Invalid(key, f"expected a list of rules, got {_type_name(value)}")
    rules = []
    for n, item in enumerate(value):
        rule = _mapping(_IGNORE_RULE)(item, f"{key}[{n}]")
        if not rule:
            raise _Invalid(f"{key}[{n}]", f"an ignore rule needs at least one of {', '.join(_IGNORE_RULE)}")
        rules.append(rule)
    return tuple(rules)


SCHEMA: dict[str, Callable[[Any, str], Any]] = {
    "fail-on": _choice(FAIL_ON),
    "coverage": _boolean,
    "coverage-min-sources": _number(1, None, integer=True),
    "min-confidence": _number(0.0, 1.0),
    "baseline": _string,  # a path, relative to the config file
    "thresholds": _mapping({
        "align-cutoff": _number(0.0, 100.0),
        "min-agreement-score": _number(0.0, 100.0),
        "negation-margin": _number(0.0, 100.0),
    }),
    "lexicon": _lexicon,
    "sources": _sources,
    "ignore": _ignore,
}


# --- discovery and loading ------------------------------------------------------------------

def find_config(start_dir: str | os.PathLike | None = None) -> Path | None:
    """The nearest config file from start_dir upwards, stopping at the project root (.git)."""
    here = Path(start_dir or os.getcwd()).resolve()
    for folder in (here, *here.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file() and (name != "pyproject.toml" or _has_tool_section(candidate)):
                return candidate
        if any((folder / marker).exists() for marker in PROJECT_MARKERS):
            return None
    return None


def load_config(start_dir: str | os.PathLike | None = None, explicit_path: str | os.PathLike | None = None) -> dict:
    """The validated settings of the named file, or of the nearest one; {} when there is none.

    Keys keep their spelling in the file (`fail-on`); `"path"` holds the file that was read,
    so that callers can name it.
    """
    path = Path(explicit_path) if explicit_path is not None else find_config(start_dir)
    if path is None:
        return {}
    return load_config_file(path)


def load_config_file(path: str | os.PathLike) -> dict:
    """Read and validate one config file; errors name the file and the key."""
    path = Path(path)
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{where}: config file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{where}: cannot read config file ({getattr(exc, 'strerror', None) or exc})") from None
    raw = _parse_toml(text, where) if path.suffix == ".toml" else _parse_yaml(text, where)
    try:
        settings = _mapping(SCHEMA)(raw, "")
    except _Invalid as exc:
        raise ConfigError(f"{where}: {exc.key}: {exc.problem}") from None
    if "lexicon" in settings:
        _check_lexicon(settings["lexicon"], where)
    if "baseline" in settings:
        settings["baseline"] = str((path.parent / settings["baseline"]).resolve())
    settings["path"] = str(path)
    return settings


def _parse_yaml(text: str, where: str) -> dict:
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" near line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{where}: invalid YAML{line}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: expected a mapping of settings at the top level, got {_type_name(data)}")
    return data


def _parse_toml(text: str, where: str) -> dict:
    data = _toml_loads(text, where)
    section = data.get("tool", {}).get("reconcile", {})
    if not isinstance(section, dict):
        raise ConfigError(f"{where}: [tool.reconcile] must be a table")
    return section


def _toml_loads(text: str, where: str) -> dict:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        try:
            import tomli as tomllib  # type: ignore[no-redef]
        except ModuleNotFoundError:
            raise ConfigError(f"{where}: reading pyproject.toml needs Python 3.11 or the tomli package") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: invalid TOML ({exc})") from None


def _has_tool_section(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    if "reconcile" not in text:  # cheap test before parsing
        return False
    try:
        return isinstance(_toml_loads(text, str(path)).get("tool", {}).get("reconcile"), dict)
    except ConfigError:
        return True  # let load_config report the broken file rather than skip it


def _check_lexicon(extra: dict, where: str) -> None:
    """Merge the extension into every lexicon part now, so a wrong type fails before the run."""
    from .support.lexicon import DEFAULT

    try:
        lexicon = DEFAULT.extended(extra)
        for section in extra:
            lexicon.get(section)
    except ConfigError as exc:
        raise ConfigError(f"{where}: lexicon: {exc}") from None


# --- from settings to the pipeline's Config ---------------------------------------------------

def pipeline_config(settings: dict, dates: tuple[tuple[str, str], ...] = ()):
    """A pipeline.Config from validated settings; `dates` (from the command line) win over the file's."""
    from dataclasses import replace

    from .support.lexicon import DEFAULT
    from .pipeline import Config

    config = Config()
    thresholds = settings.get("thresholds", {})
    if "align-cutoff" in thresholds:
        config = replace(config, align=replace(config.align, cutoff=thresholds["align-cutoff"]))
    judge = {name: thresholds[key] for key, name in (("min-agreement-score", "min_agreement_score"),
                                                     ("negation-margin", "negation_margin")) if key in thresholds}
    if judge:
        config = replace(config, judge=replace(config.judge, **judge))
    if settings.get("lexicon"):
        config = replace(config, lexicon=DEFAULT.extended(settings["lexicon"]))
    merged = {sid: entry["date"] for sid, entry in settings.get("sources", {}).items() if "date" in entry}
    merged.update(dict(dates))
    return replace(config, dates=tuple(sorted(merged.items())))


def source_names(settings: dict) -> dict[str, str]:
    """Display names the config gives to source ids."""
    return {sid: entry["name"] for sid, entry in settings.get("sources", {}).items() if "name" in entry}
