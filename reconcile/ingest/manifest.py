"""Case manifests: an event and its sources, for `reconcile compare case.yaml`.

    event: Flooding in Brackenford, March 2024
    sources:
      - path: courier.html          # relative to the manifest
        outlet: Valley Courier
        date: 2024-03-05T09:30:00Z
        weight: 2
      - url: https://example.org/flood
        outlet: Example Radio

Loaded with PyYAML's safe loader only. Unknown keys are errors (a typo in `outlet` would
otherwise name the source silently wrong); errors give the manifest's line. A manifest can come
from anyone: its paths must stay inside its folder (links resolved) and its URLs are not fetched,
unless the Trust given allows it (--allow-outside, --allow-fetch).
"""
from __future__ import annotations

import datetime
import os
from pathlib import Path

from ..errors import InputError
from . import DEFAULT_MAX_BYTES, MANIFEST_SUFFIXES, Entry, decode, is_url, normalise_date, read_bytes
from .trust import Trust

TOP_KEYS = ("event", "sources")
SOURCE_KEYS = ("path", "url", "outlet", "title", "date", "weight", "id")


def read_manifest(path: str, max_bytes: int = DEFAULT_MAX_BYTES, trust: Trust = Trust()) -> list[Entry]:
    """The manifest's sources as Entries (paths made relative to the manifest's folder)."""
    import yaml

    text = decode(read_bytes(path, max_bytes), path)
    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark, context = exc.problem_mark or exc.context_mark, exc.context_mark
        line = f" at line {mark.line + 1}" if mark is not None else ""
        since = f" ({exc.context} from line {context.line + 1})" if context is not None and exc.context and \
            mark is not None and context.line != mark.line else ""
        raise InputError(path, f"invalid YAML{line}: {exc.problem or exc.context}{since}") from None
    except yaml.YAMLError as exc:
        raise InputError(path, f"invalid YAML: {exc}") from None
    except RecursionError:
        raise InputError(path, "invalid YAML: nested too deeply") from None
    if not isinstance(data, dict):
        raise InputError(path, "a case manifest is a mapping with `event` and `sources`")
    lines = _key_lines(node)
    _check_keys(data, TOP_KEYS, path, lines, "")
    event = data.get("event")
    if event is not None and not isinstance(event, (str, int, float)):
        raise InputError(path, f"line {lines.get('event', 1)}: `event` should be a name")
    sources = data.get("sources")
    if not isinstance(sources, list) or not sources:
        raise InputError(path, f"line {lines.get('sources', 1)}: `sources` should be a list of sources")
    folder = Path(path).parent
    items = _sequence_nodes(node, "sources")
    entries = []
    for n, spec in enumerate(sources):
        item_node = items[n] if n < len(items) else None
        line = item_node.start_mark.line + 1 if item_node is not None else lines.get("sources", 1)
        entries.append(_entry(spec, path, folder, line, _key_lines(item_node), None if event is None else str(event),
                              trust))
    return entries


def _entry(spec, path: str, folder: Path, line: int, lines: dict, event: str | None, trust: Trust) -> Entry:
    if isinstance(spec, str):
        spec = {"url": spec} if is_url(spec) else {"path": spec}
    if not isinstance(spec, dict):
        raise InputError(path, f"line {line}: a source is a mapping with `path` or `url`")
    _check_keys(spec, SOURCE_KEYS, path, lines, "source ")
    where, url = spec.get("path"), spec.get("url")
    if (where is None) == (url is None):
        raise InputError(path, f"line {line}: a source needs exactly one of `path` and `url`")
    if url is not None:
        if not isinstance(url, str) or not is_url(url):
            raise InputError(path, f"line {lines.get('url', line)}: `url` should start with http:// or https://")
        locator = url
        _check_reach(locator, url, path, folder, trust, lines.get("url", line))
    else:
        if not isinstance(where, str) or not where.strip() or "\0" in where:
            raise InputError(path, f"line {lines.get('path', line)}: `path` should be a file name")
        locator = where if is_url(where) else str(folder / os.path.expanduser(where))
        _check_reach(locator, where, path, folder, trust, lines.get("path", line))
        if not is_url(locator):
            if Path(locator).suffix.lower() in MANIFEST_SUFFIXES:
                raise InputError(path, f"line {lines.get('path', line)}: a manifest cannot name another manifest")
            # os.path's tests, not Path's: they answer False for a name too long for the file system
            if os.path.isdir(locator):
                raise InputError(path, f"line {lines.get('path', line)}: {where} is a directory; name its files")
            if not os.path.lexists(locator):
                raise InputError(path, f"line {lines.get('path', line)}: {where}: no such file")
    weight = spec.get("weight")
    if weight is not None and (isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight < 0):
        raise InputError(path, f"line {lines.get('weight', line)}: `weight` should be a number, 0 or more")
    date = spec.get("date")
    if date is not None and not isinstance(date, (str, datetime.date)):
        raise InputError(path, f"line {lines.get('date', line)}: `date` should be an ISO 8601 date")
    ident = spec.get("id")
    if ident is not None and (not isinstance(ident, (str, int)) or not str(ident).strip()):
        raise InputError(path, f"line {lines.get('id', line)}: `id` should be a short name")
    return Entry(
        locator=locator,
        outlet=_text(spec.get("outlet")),
        title=_text(spec.get("title")),
        date=normalise_date(date, path, f"line {lines.get('date', line)}: `date`: "),
        weight=None if weight is None else float(weight),
        id=None if ident is None else str(ident).strip(),
        event=event,
        line=line,
    )


def _check_reach(locator: str, written: str, path: str, folder: Path, trust: Trust, line: int) -> None:
    """Refuse a URL unless fetching is allowed, and a path that leads outside the manifest's folder
    (before anything is said about whether it exists)."""
    if is_url(locator):
        if not trust.fetch:
            raise InputError(path, f"line {line}: {locator}: a manifest's URLs are fetched only with --allow-fetch")
        return
    inside = os.path.realpath(folder)
    if not trust.outside and os.path.commonpath([inside, os.path.realpath(locator)]) != inside:
        raise InputError(path, f"line {line}: {written} is outside the manifest's folder; "
                               f"pass --allow-outside to read it")


def _check_keys(data: dict, allowed: tuple[str, ...], path: str, lines: dict, what: str) -> None:
    for key in data:
        if key not in allowed:
            raise InputError(path, f"line {lines.get(key, 1)}: unknown {what}key {key!r} "
                                   f"(known: {', '.join(allowed)})")


def _key_lines(node) -> dict:
    """Line (1-based) of each key of a mapping node."""
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return {}
    return {getattr(k, "value", None): k.start_mark.line + 1 for k, _ in node.value}


def _sequence_nodes(node, key: str) -> list:
    import yaml

    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if getattr(k, "value", None) == key and isinstance(v, yaml.SequenceNode):
                return list(v.value)
    return []


def _text(value) -> str | None:
    return None if value is None else str(value)
