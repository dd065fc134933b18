"""JSON text of plain data, indented by two spaces: orjson's encoder (C, Rust), which writes what
json.dumps(value, ensure_ascii=False, indent=2) writes for the values a report holds.

Values orjson refuses (integers beyond 64 bits, dict keys that are not strings, strings with lone
surrogates) go to json.dumps itself. orjson writes NaN and infinities as null, which json.dumps
would write as the invalid tokens NaN and Infinity; a report holds neither (see CHANGELOG.md).
"""
from __future__ import annotations

import json

import orjson

__all__ = ["dumps"]


def dumps(value) -> str:
    """The JSON text of `value`, two spaces an indentation level, keys in the order given."""
    try:
        return orjson.dumps(value, option=orjson.OPT_INDENT_2).decode("utf-8")
    except (orjson.JSONEncodeError, TypeError):
        return json.dumps(value, ensure_ascii=False, indent=2)
