"""Word lists and patterns shipped as YAML in reconcile/data, loaded once.

A user's config can extend any list: `Lexicon.extended({"hedges": {"phrases": [...]}})`
returns a new lexicon whose lists are the packaged ones plus the user's.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from ..errors import ConfigError

LEXICON_FILES = ("facts", "furniture", "segment", "quantities", "stance", "words")


@functools.lru_cache(maxsize=None)
def _packaged(name: str) -> dict[str, Any]:
    text = resources.files("reconcile.data").joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    # libyaml's safe loader when PyYAML was built with it: the same documents, 5-10x faster.
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    if not isinstance(data, dict):
        raise ConfigError(f"reconcile/data/{name}.yaml: expected a mapping at the top level")
    return data


def _merge(base: Any, extra: Any, where: str) -> Any:
    if isinstance(base, dict):
        if not isinstance(extra, dict):
            raise ConfigError(f"lexicon {where}: expected a mapping, got {type(extra).__name__}")
        merged = dict(base)
        for key, value in extra.items():
            merged[key] = _merge(base[key], value, f"{where}.{key}") if key in base else value
        return merged
    if isinstance(base, list):
        if not isinstance(extra, list):
            raise ConfigError(f"lexicon {where}: expected a list, got {type(extra).__name__}")
        return base + [item for item in extra if item not in base]
    return extra


@dataclass(frozen=True)
class Lexicon:
    """All packaged word lists, optionally extended by a user's config (hashable, so caches work)."""

    extra_yaml: str = ""

    def get(self, name: str) -> dict[str, Any]:
        return _lexicon_part(self.extra_yaml, name)

    def extended(self, extra: dict[str, Any]) -> "Lexicon":
        unknown = sorted(set(extra) - set(LEXICON_FILES))
        if unknown:
            raise ConfigError(f"unknown lexicon section {unknown[0]!r} (known: {', '.join(LEXICON_FILES)})")
        return Lexicon(yaml.safe_dump(extra, sort_keys=True))


@functools.lru_cache(maxsize=64)
def _lexicon_part(extra_yaml: str, name: str) -> dict[str, Any]:
    base = _packaged(name)
    if not extra_yaml:
        return base
    extra = (yaml.safe_load(extra_yaml) or {}).get(name)
    return base if extra is None else _merge(base, extra, name)


DEFAULT = Lexicon()


def words_alternation(words: list[str]) -> str:
    """A regex alternation of literal phrases, longest first, spaces matching any whitespace."""
    escaped = sorted({re.escape(w).replace(r"\ ", r"\s+") for w in words}, key=lambda s: (-len(s), s))
    return "|".join(escaped)
