"""Ingest: turn what the user named into Sources.

Inputs: text and Markdown files (with optional YAML front matter), saved HTML pages (main text
extracted), JSON and JSON Lines articles, case manifests (`case.yaml`), http(s) URLs,
directories (their supported files, in name order) and "-" for standard input.

The decoded text of a file is never rewritten, so every offset a finding gives points into what
the user can open; front matter is blanked to spaces of the same length. For HTML the text is the
extracted main text and for JSON the `text` field: the source's `kind` says so.
"""
from __future__ import annotations

import functools
import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..errors import InputError
from ..models import Source
from .dates import normalise_date
from .text import FRONT_MATTER_KEYS, declared_charset, decode, front_matter, has_text, looks_like_html
from .trust import Trust

__all__ = ["DEFAULT_MAX_BYTES", "FRONT_MATTER_KEYS", "SUPPORTED_SUFFIXES", "Entry", "SourceWarning", "Trust", "decode",
           "expand", "front_matter", "is_url", "load_sources", "normalise_date", "read_bytes", "read_source",
           "text_source"]

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
JSON_SUFFIXES = (".json", ".jsonl", ".ndjson")
MANIFEST_SUFFIXES = (".yaml", ".yml")
# What a directory contributes; manifests are only read when named (a case folder holds its case.yaml).
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSON_SUFFIXES
DEFAULT_MAX_BYTES = 200 * 1024 * 1024  # generous: a 50 MB text must pass

_URL = re.compile(r"\Ahttps?://", re.I)
# Standard input's name in errors, and its source id and name in reports: one word for both.
STDIN = "stdin"


class SourceWarning(UserWarning):
    """Something about the inputs the user should know, that does not stop the run."""


def is_url(item: str) -> bool:
    return bool(_URL.match(item))




def expand(inputs: Iterable[str]) -> list[str]:
    """Files, URLs and "-" as given; directories replaced by their supported files, in name order."""
    paths: list[str] = []
    for item in inputs:
        if item == "-" or is_url(item):
            paths.append(item)
            continue
        path = Path(item)
        if path.is_dir():
            paths.extend(_directory(item))
        elif path.is_symlink() and not path.exists():
            raise InputError(item, _broken_link(path))
        elif not path.exists():
            raise InputError(item, "no such file or directory")
        else:
            paths.append(item)
    return paths


def _directory(item: str) -> list[str]:
    """A directory's supported files. Subdirectories are not entered, so a link loop cannot recurse."""
    try:
        entries = sorted(Path(item).iterdir())
    except PermissionError:
        raise InputError(item, "permission denied") from None
    except OSError as exc:
        raise InputError(item, exc.strerror or "cannot be listed") from None
    found = []
    for entry in entries:
        if entry.suffix.lower() not in SUPPORTED_SUFFIXES or entry.name.startswith(".reconcile-"):
            continue
        if entry.is_symlink() and not entry.exists():
            raise InputError(str(entry), _broken_link(entry))
        if entry.is_file():
            found.append(str(entry))
    if not found:
        raise InputError(item, f"directory has no supported files ({', '.join(SUPPORTED_SUFFIXES)})")
    return found


def _broken_link(path: Path) -> str:
    try:
        path.resolve(strict=True)
    except RuntimeError:  # Python < 3.13 reports a loop this way
        return "symbolic link loop"
    except OSError as exc:
        if "loop" in str(exc).lower() or getattr(exc, "errno", None) == 40:
            return "symbolic link loop"
    return "broken symbolic link"


@dataclass(frozen=True)
class Entry:
    """One thing to read: a file, a URL or stdin, with what a manifest says about it."""

    locator: str  # a path, a URL or "-"
    outlet: str | None = None
    title: str | None = None
    date: str | None = None
    weight: float | None = None
    id: str | None = None
    event: str | None = None
    line: int | None = None  # its line in the manifest

    @functools.cached_property  # resolving a path asks the file system at every step
    def key(self) -> str:
        """What makes two entries the same source: the real path, or the URL."""
        if self.locator == "-" or is_url(self.locator):
            return self.locator
        return os.path.realpath(self.locator)

    @property
    def where(self) -> str:
        return STDIN if self.locator == "-" else self.locator

    @property
    def from_manifest(self) -> bool:
        return self.line is not None


@dataclass
class _Article:
    """A source before it has its id."""

    key: str
    stem: str
    parent: str
    fields: dict = field(default_factory=dict)


def load_sources(inputs: Iterable[str], stdin: bytes | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES,
                 timeout: float | None = None, trust: Trust = Trust()) -> tuple[Source, ...]:
    """Every source the inputs name, sorted by id so that input order never matters.

    `trust` says how far a manifest may reach and whether URLs on private addresses are fetched.

    A source named twice (the same file by two paths, a file and its directory, a manifest
    entry and the command line) is read once, with a SourceWarning; the manifest's entry wins.
    """
    entries: list[Entry] = []
    for item in expand(inputs):
        if item != "-" and not is_url(item) and Path(item).suffix.lower() in MANIFEST_SUFFIXES:
            from .manifest import read_manifest

            entries.extend(read_manifest(item, max_bytes=max_bytes, trust=trust))
        else:
            entries.append(Entry(item))
    articles: list[_Article] = []
    for entry in _unique_entries(entries):
        articles.extend(_read_entry(entry, stdin, max_bytes, timeout, trust=trust))
    ids = _unique_ids(articles)
    sources = [Source(id=ids[a.key], **a.fields) for a in articles]
    return tuple(sorted(sources, key=lambda s: s.id))


def _unique_entries(entries: list[Entry]) -> list[Entry]:
    by_key: dict[str, list[Entry]] = {}
    for entry in entries:
        by_key.setdefault(entry.key, []).append(entry)
    unique = []
    for key in sorted(by_key):
        group = sorted(by_key[key], key=lambda e: (not e.from_manifest, e.line or 0, e.locator))
        unique.append(group[0])
        if len(group) > 1:
            names = sorted({e.where for e in group})
            also = f" (also as {', '.join(names[1:])})" if len(names) > 1 else ""
            warnings.warn(f"{group[0].where}: given {len(group)} times{also}; read once", SourceWarning, stacklevel=3)
    return unique


def _read_entry(entry: Entry, stdin: bytes | None, max_bytes: int, timeout: float | None,
                data: bytes | None = None, trust: Trust = Trust()) -> list[_Article]:
    """The articles of one entry; `data`, when given, stands for the file's bytes."""
    where = entry.where
    declared = url = None
    if data is not None and entry.locator != "-":
        _check_size(len(data), max_bytes, where)
        path = Path(entry.locator)
        stem, parent = path.stem, Path(os.path.abspath(entry.locator)).parent.name
        kind = _kind_of_suffix(path.suffix.lower())
    elif entry.locator == "-":
        data = stdin if stdin is not None else b""
        _check_size(len(data), max_bytes, where, capped=True)
        stem, parent, kind = STDIN, "", _kind_of_suffix("")
    elif is_url(entry.locator):
        from .fetch import fetch

        page = fetch(entry.locator, max_bytes=max_bytes, allow_private=trust.private,
                     **({} if timeout is None else {"timeout": timeout}))
        data, declared, url = page.data, page.charset, page.url
        stem, parent = _url_stem(entry.locator)
        kind = page.kind
    else:
        data = read_bytes(entry.locator, max_bytes)
        path = Path(entry.locator)
        stem, parent = path.stem, Path(os.path.abspath(entry.locator)).parent.name
        kind = _kind_of_suffix(path.suffix.lower())
    if kind == "html" or (kind is None and looks_like_html(data)):
        kind = "html"
        declared = declared or declared_charset(data)
    text = decode(data, where, declared)
    if kind is None:
        kind = "json" if _looks_like_json(text) else "text"
    found = _articles(text, kind, where, entry.locator)
    out = []
    for n, (text, meta, item_kind) in enumerate(found, start=1):
        many = len(found) > 1
        article_stem = (entry.id or stem) + (f"-{n}" if many else "")
        if meta.get("id") and not entry.id:
            article_stem = str(meta["id"])
        fields = {
            "name": str(entry.outlet or meta.get("outlet") or entry.title or meta.get("title") or article_stem),
            "path": None if entry.locator == "-" else entry.locator,
            "text": text,
            "date": entry.date if entry.date is not None else normalise_date(meta.get("date"), where,
                                                                             _DATE_FIELD[item_kind]),
            "url": str(meta.get("url") or url or (entry.locator if is_url(entry.locator) else "")) or None,
            "kind": item_kind,
            "weight": entry.weight,
            "event": entry.event,
        }
        key = entry.key + (f"#{n}" if many else "")
        out.append(_Article(key=key, stem=article_stem, parent=parent if not entry.id else "", fields=fields))
    return out


# Where a source's own date was written, for the error when it is not a date.
_DATE_FIELD = {"text": "front matter `date`: ", "json": "\"date\": ", "html": "the page's date: "}


def _articles(text: str, kind: str, where: str, locator: str) -> list[tuple[str, dict, str]]:
    """(text, metadata, kind) of each article in one decoded input."""
    if kind == "html":
        from .html import extract

        body, meta = extract(text, where)
        return [(body, meta, "html")]
    if kind in ("json", "jsonl"):
        from .jsonl import read_json

        return [(body, meta, "json") for body, meta in read_json(text, where, lines=kind == "jsonl"
                                                                  or locator.lower().endswith((".jsonl", ".ndjson")))]
    body, meta = front_matter(text, where)
    if not has_text(body):
        raise InputError(where, "has front matter but no text")
    return [(body, meta, "text")]


def _kind_of_suffix(suffix: str) -> str | None:
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix == ".json":
        return "json"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix in TEXT_SUFFIXES:
        return "text"
    return None  # sniffed: stdin, or a file with another suffix




def _looks_like_json(text: str) -> bool:
    stripped = text.lstrip()
    if not stripped.startswith(("{", "[{", "[\n", "[ ")):
        return False
    import json

    try:
        value = json.loads(text)
    except ValueError:
        return False
    return isinstance(value, dict) and "text" in value or isinstance(value, list) and bool(value) and all(
        isinstance(v, dict) and "text" in v for v in value)




def _url_stem(url: str) -> tuple[str, str]:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    host = (parts.hostname or "url").replace(".", "-")
    name = [p for p in parts.path.split("/") if p]
    stem = Path(name[-1]).stem if name else host
    return (re.sub(r"[^\w.-]+", "-", stem).strip("-") or host), host


def _check_size(size: int, max_bytes: int, where: str, capped: bool = False) -> None:
    """Refuse more than max_bytes, to the byte (rounded, it read "1.0 MB, over the limit of 1.0 MB").
    A `capped` size comes from a read that stopped one byte past the limit (stdin, a file that grew,
    a special file): it says only that there was more."""
    if capped and size > max_bytes:
        raise InputError(where, f"holds more than the limit of {max_bytes:,} bytes (--max-bytes)")
    if size > max_bytes:
        raise InputError(where, f"is {size:,} bytes, over the limit of {max_bytes:,} bytes (--max-bytes)")


def read_bytes(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """A file's bytes, refusing directories, unreadable files and files over max_bytes."""
    try:
        with open(path, "rb") as stream:
            _check_size(os.fstat(stream.fileno()).st_size, max_bytes, path)
            data = stream.read(max_bytes + 1)
    except IsADirectoryError:
        raise InputError(path, "is a directory") from None
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except FileNotFoundError:
        raise InputError(path, _broken_link(Path(path)) if os.path.islink(path) else "no such file") from None
    except OSError as exc:
        if exc.errno == 40:
            raise InputError(path, "symbolic link loop") from None
        raise InputError(path, exc.strerror or "cannot be read") from None
    _check_size(len(data), max_bytes, path, capped=True)
    return data


def _unique_ids(articles: list[_Article]) -> dict[str, str]:
    """Stems, made unique by parent folder (or host), then a counter; independent of input order."""
    ids: dict[str, str] = {}
    by_stem: dict[str, list[_Article]] = {}
    for article in sorted(articles, key=lambda a: a.key):
        by_stem.setdefault(article.stem, []).append(article)
    for stem, group in by_stem.items():
        if len(group) == 1:
            ids[group[0].key] = stem
            continue
        for n, article in enumerate(group, start=1):
            ids[article.key] = f"{article.parent}-{stem}" if article.parent else f"{stem}-{n}"
        if len({ids[a.key] for a in group}) < len(group):
            for n, article in enumerate(group, start=1):
                ids[article.key] = f"{stem}-{n}"
    if len(set(ids.values())) < len(ids):  # a made-up id met a real stem: number the clashes
        seen: dict[str, int] = {}
        for key in sorted(ids):
            value = ids[key]
            seen[value] = seen.get(value, 0) + 1
            if seen[value] > 1:
                ids[key] = f"{value}-{seen[value]}"
    return ids


def read_source(path: str, source_id: str, data: bytes | None = None, *,
                max_bytes: int = DEFAULT_MAX_BYTES) -> Source:
    """One Source from a file, or from `data` standing for its bytes (stdin's when path is "-")."""
    (article, *rest) = _read_entry(Entry(path), data if path == "-" else None, max_bytes, None,
                                   None if path == "-" else data)
    if rest:
        raise InputError(path, f"holds {len(rest) + 1} articles; use load_sources")
    return Source(id=source_id, **article.fields)


def text_source(text: str, source_id: str, name: str | None = None) -> Source:
    """A Source from a string (the Python API's way to pass text without a file)."""
    if not text.strip():
        raise InputError(source_id, "text is empty")
    return Source(id=source_id, name=name or source_id, path=None, text=text)
