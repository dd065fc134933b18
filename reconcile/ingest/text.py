"""Bytes to text: encodings, binary files and front matter. Nothing here rewrites text,
so offsets into the decoded text stay offsets into what the user gave."""
from __future__ import annotations

import codecs
import re

from ..errors import InputError

FRONT_MATTER_KEYS = ("title", "outlet", "date", "url")

_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*(?:\r\n|\r|\n)(.*?(?:\r\n|\r|\n))---[ \t]*(?:\r\n|\r|\n|\Z)", re.S)
_FRONT_MATTER_WINDOW = 65536  # front matter is looked for in the first characters only
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"PK\x03\x04", b"GIF8", b"\xff\xd8\xff", b"\x7fELF", b"\x1f\x8b",
                 b"\xd0\xcf\x11\xe0", b"Rar!", b"7z\xbc\xaf", b"OggS", b"ID3", b"RIFF", b"\x00\x00\x01\x00")
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xef\xbb\xbf", "utf-8-sig"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_NOT_SPACE = re.compile(rb"\S")
_NOT_SPACE_TEXT = re.compile(r"\S")
# Labels that browsers (WHATWG Encoding) read as windows-1252: a page that says latin-1 means it.
_CP1252_LABELS = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "ascii", "us-ascii", "windows-1252",
                  "cp1252", "x-cp1252", "iso_8859-1", "cp819", "ibm819"}


def has_text(text: str) -> bool:
    """Whether text has anything but whitespace (without copying it, as strip() would)."""
    return bool(_NOT_SPACE_TEXT.search(text))


def decode(data: bytes, where: str, declared: str | None = None) -> str:
    """Decode bytes: a BOM (UTF-8/16/32) decides, else UTF-8, else a declared charset, else Windows-1252.

    Latin-1 is read as Windows-1252, as browsers do: the two agree on every printable Latin-1
    character, and the bytes where they differ are control codes in Latin-1 but curly quotes and
    dashes in Windows-1252 text.
    """
    if not _NOT_SPACE.search(data):
        raise InputError(where, "file is empty")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(where, f"cannot decode: not valid {codec.upper()} text "
                                        f"({exc.reason} at byte {exc.start})") from None
            if text.startswith("\ufeff"):
                text = text[1:]
            return _checked(text, where)
    if data.startswith(_BINARY_MAGIC) or b"\x00" in data[:8192]:
        raise InputError(where, "looks like a binary file, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        codec = _codec(declared)
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            if codec == "cp1252":
                raise InputError(where, f"cannot decode: not UTF-8 (byte {utf8_error.start}) "
                                        f"or Windows-1252 text (byte {exc.start})") from None
            raise InputError(where, f"cannot decode: not UTF-8 or {declared} text (byte {exc.start})") from None
    return _checked(text, where)


def _codec(declared: str | None) -> str:
    if not declared:
        return "cp1252"
    label = declared.strip().lower()
    if label in _CP1252_LABELS:
        return "cp1252"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return "cp1252"
    return "cp1252" if name.startswith(("utf-16", "utf-32", "utf-8", "ascii", "latin")) else name


_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")  # control characters other than \t \n \f \r


def _checked(text: str, where: str) -> str:
    if len(_CONTROL.findall(text, 0, 8192)) > 8:
        raise InputError(where, "looks like a binary file, not text")
    if not _NOT_SPACE_TEXT.search(text):
        raise InputError(where, "file has only whitespace")
    return text


def front_matter(text: str, where: str) -> tuple[str, dict]:
    """Split off YAML front matter; it is blanked (same length, lines kept) so offsets still fit."""
    match = _FRONT_MATTER.match(text[:_FRONT_MATTER_WINDOW])
    if not match:
        return text, {}
    import yaml

    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", 0) + 2
        raise InputError(where, f"invalid YAML front matter near line {line}") from None
    except RecursionError:
        raise InputError(where, "invalid YAML front matter: nested too deeply") from None
    if not isinstance(meta, dict):
        return text, {}
    blanked = re.sub(r"[^\r\n]", " ", match.group(0))
    return blanked + text[match.end():], {k: meta[k] for k in FRONT_MATTER_KEYS if k in meta}


_META_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_:.\-]{1,40})", re.I)


def declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


def looks_like_html(data: bytes) -> bool:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in data[:4096].lower()
