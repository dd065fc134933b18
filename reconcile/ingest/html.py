"""Saved HTML pages: the article's main text and its metadata, extracted with trafilatura, or by
a plain walk of the tags when trafilatura finds nothing (markup nested deeper than lxml builds).

trafilatura drops navigation, related links, cookie banners, footers and (as asked here)
comments. The page is parsed by lxml, never executed, and nothing it references is fetched.
trafilatura is imported only when an input is HTML: it costs ~0.3 s of start-up.
"""
from __future__ import annotations

from html.parser import HTMLParser

from ..errors import InputError

# Dates come from the page's metadata only: a search of the body text finds copyright years
# and dates of related stories, and a wrong date turns a contradiction into an "update".
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


def extract(html: str, where: str) -> tuple[str, dict]:
    """(main text, {"title", "outlet", "date", "url"}) of a page; InputError when it has no text."""
    try:
        import trafilatura
    except ImportError:  # pragma: no cover - trafilatura is a dependency
        raise InputError(where, "reading HTML needs trafilatura: pip install trafilatura") from None
    import logging

    # trafilatura logs why it found nothing; that goes into the one-line error instead.
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    try:
        document = trafilatura.bare_extraction(
            html,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            with_metadata=True,
            deduplicate=False,
            date_extraction_params=_DATE_PARAMS,
            config=_config(),
        )
    except (ValueError, TypeError, RecursionError):  # lxml on pathological markup: walk it instead
        document = None
    text = getattr(document, "text", None) or ""
    walked_title = None
    if not text.strip():
        # lxml stops building the tree some 255 elements deep, and the extractor then finds
        # nothing; a walk of the tags as they come has no depth to run out of.
        text, walked_title = plain_text(html)
        if not text.strip():
            raise InputError(where, "no article text found in the HTML page")
    meta = {
        "title": getattr(document, "title", None) or walked_title,
        "outlet": getattr(document, "sitename", None),
        "date": getattr(document, "date", None),
        "url": getattr(document, "url", None),
    }
    return text, {k: v for k, v in meta.items() if v}


def _config():
    from trafilatura.settings import use_config

    config = use_config()
    # Sizes are limited by --max-bytes, not by trafilatura's own 20 MB cap (which fails silently).
    config.set("DEFAULT", "MAX_FILE_SIZE", str(2**62))
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    return config


# What a plain walk leaves out: code, styles, and the page's furniture where its tags say so.
_SKIPPED = frozenset({"script", "style", "noscript", "template", "svg", "head", "nav", "header", "footer", "aside",
                      "form", "button", "select", "iframe", "object"})
_BLOCKS = frozenset({"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
                     "main", "blockquote", "pre", "table", "tr", "td", "th", "dd", "dt", "figcaption", "hr", "body"})
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "source", "wbr", "area", "base", "col", "embed"})


class _TextWalk(HTMLParser):
    """The page's text, a line per block, outside the skipped elements; the title on the side."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.line: list[str] = []
        self.skipping: list[str] = []  # open skipped elements, innermost last
        self.in_title = False
        self.title: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self.in_title = True
        if tag in _SKIPPED and tag not in _VOID:
            self.skipping.append(tag)
        if tag in _BLOCKS:
            self._break()

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if tag in self.skipping:  # close it and whatever was left open inside it
            del self.skipping[len(self.skipping) - 1 - self.skipping[::-1].index(tag):]
        if tag in _BLOCKS:
            self._break()

    def handle_data(self, data):
        if self.in_title:
            self.title.append(data)
        elif not self.skipping:
            self.line.append(data)

    def _break(self):
        line = " ".join("".join(self.line).split())
        if line:
            self.lines.append(line)
        self.line = []

    def close(self):
        super().close()
        self._break()


def plain_text(html: str) -> tuple[str, str | None]:
    """(text, title) of a page by a walk of its tags, at any depth: a line per block, blank lines between."""
    walk = _TextWalk()
    walk.feed(html)
    walk.close()
    return "\n\n".join(walk.lines), " ".join("".join(walk.title).split()) or None
