"""Ingest: turn what the user named (files, directories, "-" for stdin, texts) into Sources."""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Iterable

import yaml

from .errors import InputError
from .models import Source

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".text")
_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?\r?\n)---[ \t]*(?:\r?\n|\Z)", re.S)
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"PK\x03\x04", b"GIF8", b"\xff\xd8\xff", b"\x7fELF", b"\x1f\x8b")
FRONT_MATTER_KEYS = ("title", "outlet", "date", "url")


def decode(data: bytes, where: str) -> str:
    """Decode bytes as UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    if not data.strip():
        raise InputError(where, "file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(where, f"not valid UTF-16 text ({exc.reason} at byte {exc.start})") from None
    if data.startswith(_BINARY_MAGIC) or b"\x00" in data[:8192]:
        raise InputError(where, "looks like a binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise InputError(where, f"cannot decode: not UTF-8 or Windows-1252 text (byte {exc.start})") from None
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > 8:
        raise InputError(where, "looks like a binary file, not text")
    if not text.strip():
        raise InputError(where, "file has only whitespace")
    return text


def front_matter(text: str, where: str) -> tuple[str, dict]:
    """Split off YAML front matter; it is blanked (same length, lines kept) so offsets still fit."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return text, {}
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", 0) + 2
        raise InputError(where, f"invalid YAML front matter near line {line}") from None
    if not isinstance(meta, dict):
        return text, {}
    blanked = re.sub(r"[^\r\n]", " ", match.group(0))
    return blanked + text[match.end():], {k: meta[k] for k in FRONT_MATTER_KEYS if k in meta}


def expand(inputs: Iterable[str]) -> list[str]:
    """Files as given; directories replaced by their supported files, in name order."""
    paths: list[str] = []
    for item in inputs:
        if item == "-":
            paths.append(item)
            continue
        path = Path(item)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)
            if not found:
                raise InputError(item, f"directory has no supported files ({', '.join(SUPPORTED_SUFFIXES)})")
            paths.extend(str(p) for p in found)
        elif not path.exists():
            raise InputError(item, "no such file or directory")
        else:
            paths.append(item)
    return paths


def _unique_ids(paths: list[str]) -> dict[str, str]:
    """File stems, made unique by parent folders, then a counter; independent of input order."""
    ids: dict[str, str] = {}
    by_stem: dict[str, list[str]] = {}
    for path in sorted(set(paths)):
        stem = "stdin" if path == "-" else Path(path).stem
        by_stem.setdefault(stem, []).append(path)
    for stem, group in by_stem.items():
        if len(group) == 1:
            ids[group[0]] = stem
            continue
        for n, path in enumerate(group, start=1):
            parent = Path(os.path.abspath(path)).parent.name
            ids[path] = f"{parent}-{stem}" if parent else f"{stem}-{n}"
        if len(set(ids[p] for p in group)) < len(group):
            for n, path in enumerate(group, start=1):
                ids[path] = f"{stem}-{n}"
    return ids


def read_source(path: str, source_id: str, data: bytes | None = None) -> Source:
    """One Source from a file (or stdin bytes when path is "-")."""
    where = "<stdin>" if path == "-" else path
    if data is None:
        try:
            data = Path(path).read_bytes()
        except IsADirectoryError:
            raise InputError(where, "is a directory") from None
        except PermissionError:
            raise InputError(where, "permission denied") from None
        except OSError as exc:
            raise InputError(where, exc.strerror or "cannot be read") from None
    text, meta = front_matter(decode(data, where), where)
    if not text.strip():
        raise InputError(where, "has front matter but no text")
    name = str(meta.get("outlet") or meta.get("title") or source_id)
    date = meta.get("date")
    return Source(
        id=source_id,
        name=name,
        path=None if path == "-" else path,
        text=text,
        date=None if date is None else str(date),
    )


def load_sources(inputs: Iterable[str], stdin: bytes | None = None) -> tuple[Source, ...]:
    """Every source the inputs name, sorted by id so that input order never matters."""
    paths = expand(inputs)
    seen: dict[str, str] = {}
    unique: list[str] = []
    for path in paths:
        key = "-" if path == "-" else os.path.realpath(path)
        if key not in seen:
            seen[key] = path
            unique.append(path)
    ids = _unique_ids(unique)
    sources = [read_source(path, ids[path], stdin if path == "-" else None) for path in unique]
    return tuple(sorted(sources, key=lambda s: s.id))


def text_source(text: str, source_id: str, name: str | None = None) -> Source:
    """A Source from a string (the Python API's way to pass text without a file)."""
    if not text.strip():
        raise InputError(source_id, "text is empty")
    return Source(id=source_id, name=name or source_id, path=None, text=text)
