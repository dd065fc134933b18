"""JSON articles: an object with `text` (and optional `title`, `outlet`, `date`, `url`, `id`), a
list of them, or JSON Lines with one object per line. Other keys are ignored: exports from
scrapers carry many."""
from __future__ import annotations

import json

from ..errors import InputError

KEYS = ("title", "outlet", "date", "url", "id")


def read_json(text: str, where: str, lines: bool = False) -> list[tuple[str, dict]]:
    """(text, metadata) of each article; errors name the item or line."""
    if lines:
        articles = []
        # Split on line feeds only: U+2028 may stand raw inside a JSON string.
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except ValueError as exc:
                raise InputError(where, f"line {number}: invalid JSON ({_reason(exc)})") from None
            except RecursionError:
                raise InputError(where, f"line {number}: JSON nested too deeply") from None
            articles.append(_article(value, where, f"line {number}"))
        if not articles:
            raise InputError(where, "no articles in the JSON Lines file")
        return articles
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(where, f"invalid JSON at line {exc.lineno} column {exc.colno} ({exc.msg})") from None
    except ValueError as exc:
        raise InputError(where, f"invalid JSON ({_reason(exc)})") from None
    except RecursionError:
        raise InputError(where, "JSON nested too deeply") from None
    if isinstance(value, list):
        if not value:
            raise InputError(where, "the JSON list holds no articles")
        return [_article(item, where, f"item {n}") for n, item in enumerate(value, start=1)]
    return [_article(value, where, None)]


def _article(value, where: str, label: str | None) -> tuple[str, dict]:
    at = f"{label}: " if label else ""
    if not isinstance(value, dict):
        raise InputError(where, f"{at}expected an object with \"text\", got {_type(value)}")
    text = value.get("text")
    if not isinstance(text, str):
        got = "no \"text\"" if text is None else f"\"text\" is {_type(text)}"
        raise InputError(where, f"{at}expected an object with a \"text\" string; {got}")
    if not text.strip():
        raise InputError(where, f"{at}\"text\" is empty")
    meta = {}
    for key in KEYS:
        item = value.get(key)
        if item is None:
            continue
        if not isinstance(item, (str, int, float)) or isinstance(item, bool):
            raise InputError(where, f"{at}\"{key}\" should be a string, not {_type(item)}")
        meta[key] = str(item)
    return text, meta


def _type(value) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number")


def _reason(exc: ValueError) -> str:
    return getattr(exc, "msg", None) or str(exc).split(":")[0]
