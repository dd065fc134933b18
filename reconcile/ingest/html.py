"""Saved HTML pages: the article's main text and its metadata, extracted with trafilatura.

trafilatura drops navigation, related links, cookie banners, footers and (as asked here)
comments. The page is parsed by lxml, never executed, and nothing it references is fetched.
trafilatura is imported only when an input is HTML: it costs ~0.3 s of start-up.
"""
from __future__ import annotations

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
    except (ValueError, TypeError, RecursionError) as exc:  # lxml on pathological markup
        raise InputError(where, f"cannot parse the HTML ({type(exc).__name__})") from None
    text = getattr(document, "text", None) or ""
    if not text.strip():
        raise InputError(where, "no article text found in the HTML page")
    meta = {
        "title": getattr(document, "title", None),
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
