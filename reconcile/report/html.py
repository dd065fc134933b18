"""The HTML report: one self-contained page, its findings on the left and the sources side by side.

The page is assets/page.html with the styles (assets/report.css), the script (assets/report.js) and
the data (htmldata.page_data) inlined. Nothing is fetched: a Content-Security-Policy allows only
the inline style and script, by their hashes. The data is JSON in a non-executed script element,
with every `<`, `>` and `&` escaped, so that no article text can close the element or open markup;
the script writes all of it into the page as text.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import html
import json
import re
from importlib import resources
from typing import Mapping

from ..models import Report
from .htmldata import page_data

__all__ = ["page_of", "render_html", "script_json"]

_PLACEHOLDER = re.compile(r"@(CSP|TITLE|CSS|DATA|JS)@")
# In a script element, `</script` ends it and `<!--` changes how it is read; U+2028 and U+2029
# end a line in older JavaScript. JSON lets each be written as a \u escape instead.
_SCRIPT_UNSAFE = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026", 0x2028: "\\u2028", 0x2029: "\\u2029"}
_SURROGATE = re.compile("[\ud800-\udfff]")


def render_html(report: Report, texts: Mapping[str, str] | None = None) -> str:
    """The page for `report`; `texts` maps source ids to their texts (Source.text), which the
    columns show. Without a source's text its column shows only the sentences findings cite."""
    return page_of(page_data(report, texts))


def page_of(data: dict) -> str:
    """The template filled with a report's page data (htmldata.page_data), styles and script."""
    assets = _assets()
    values = {"CSP": assets["csp"], "TITLE": html.escape(data["title"], quote=False), "CSS": assets["css"],
              "DATA": script_json(data), "JS": assets["js"]}
    # One pass over the template: what is filled in is never searched for placeholders again.
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], assets["page"])


def script_json(data) -> str:
    """`data` as JSON that is safe inside <script type="application/json">, and valid UTF-8."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_UNSAFE)
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


@functools.cache
def _assets() -> dict[str, str]:
    folder = resources.files(__package__) / "assets"
    page, css, js = ((folder / name).read_text(encoding="utf-8") for name in ("page.html", "report.css", "report.js"))
    if re.search(r"</style", css, re.I) or re.search(r"</script|<!--", js, re.I):
        raise ValueError("an inlined asset would end its own element early")
    csp = "; ".join((
        "default-src 'none'",
        f"script-src '{_sha256(js)}'",
        f"style-src '{_sha256(css)}'",
        "img-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ))
    return {"page": page, "css": css, "js": js, "csp": csp}


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
