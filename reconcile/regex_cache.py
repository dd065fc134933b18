"""Compiled regular expressions kept on disk between runs.

The figure scanner is one pattern of some 24,000 characters built from the word lists; compiling
it takes about 0.08 s, a fifth of a small run. The standard library cannot save a compiled
pattern, but what `re` compiles it to is a list of integers that the regex engine checks before
it uses it; that list is cached here (as JSON), keyed by the pattern, its flags and the exact Python build,
and handed back to the engine on the next run. Anything unexpected (another Python, a damaged or
unwritable cache, a change in `re`'s internals) falls back to `re.compile`, so the cache can only
make a run faster, never different. Values derived from patterns alone (the literal needles of
`needles.py`) are kept beside them (`computed_cached`).

The cache lives in $RECONCILE_CACHE_DIR, else $XDG_CACHE_HOME/reconcile, else ~/.cache/reconcile;
RECONCILE_CACHE_DIR=off (or an empty value) turns it off.
"""
from __future__ import annotations

import hashlib
import os
import json
import re
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable

__all__ = ["cache_dir", "compile_cached", "computed_cached"]

_MIN_LENGTH = 500  # shorter patterns compile about as fast as a file is read


def cache_dir() -> Path | None:
    """Where compiled patterns are kept, or None when caching is off."""
    configured = os.environ.get("RECONCILE_CACHE_DIR")
    if configured is not None:
        return None if configured.strip().lower() in ("", "off", "0", "none") else Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "reconcile"


def compile_cached(pattern: str, flags: int = 0) -> re.Pattern:
    """re.compile(pattern, flags), from the on-disk cache when a previous run compiled it."""
    folder = cache_dir() if len(pattern) >= _MIN_LENGTH else None
    internals = _internals()
    if folder is None or internals is None:
        return re.compile(pattern, flags)
    sre, compiler, parser = internals
    key = hashlib.sha256("\x1f".join((sys.version, str(sre.MAGIC), str(sre.CODESIZE), str(int(flags)),
                                      pattern)).encode("utf-8", "surrogatepass")).hexdigest()
    path = folder / f"regex-{key[:32]}.json"
    try:
        with open(path, encoding="utf-8") as handle:
            pattern_, flags_, code, groups, groupindex, indexgroup = json.load(handle)
        if pattern_ == pattern:
            compiled = sre.compile(pattern, flags_, code, groups, groupindex, tuple(indexgroup))
            if compiled.pattern == pattern:
                return compiled
    except Exception:  # noqa: BLE001 - a missing or unusable entry: compile afresh below
        pass
    try:
        parsed = parser.parse(pattern, flags)
        code = compiler._code(parsed, flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        stored = (pattern, flags | parsed.state.flags, code, parsed.state.groups - 1, groupindex, tuple(indexgroup))
        compiled = sre.compile(*stored)
    except Exception:  # noqa: BLE001 - re's internals are not what this module expects
        return re.compile(pattern, flags)
    if (compiled.flags, compiled.groups, dict(compiled.groupindex)) != _reference(pattern, flags):
        return re.compile(pattern, flags)
    _store(path, stored)
    return compiled


def computed_cached(name: str, key: str, compute: Callable[[], Any]) -> Any:
    """compute(), a JSON value derived from `key` alone (and this Python), from the on-disk cache
    when a previous run computed it."""
    folder = cache_dir()
    if folder is None:
        return compute()
    digest = hashlib.sha256("\x1f".join((sys.version, name, key)).encode("utf-8", "surrogatepass")).hexdigest()
    path = folder / f"{name}-{digest[:32]}.json"
    try:
        with open(path, encoding="utf-8") as handle:
            stored_key, value = json.load(handle)
        if stored_key == key:
            return value
    except Exception:  # noqa: BLE001 - a missing or unusable entry: compute afresh
        pass
    value = compute()
    _store(path, (key, value))
    return value


def _reference(pattern: str, flags: int) -> tuple:
    compiled = re.compile(pattern, flags)
    return compiled.flags, compiled.groups, dict(compiled.groupindex)


def _internals():
    """The modules `re` compiles with, where this Python has them."""
    try:
        import _sre

        from re import _compiler, _parser  # Python 3.11 and later
    except ImportError:
        return None
    if not all(hasattr(m, name) for m, name in ((_compiler, "_code"), (_parser, "parse"), (_sre, "compile"))):
        return None
    return _sre, _compiler, _parser


def _store(path: Path, stored: tuple) -> None:
    """Write atomically; a cache that cannot be written is simply not used."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".regex-", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(stored, out)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError:
        pass
