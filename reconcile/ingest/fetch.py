"""http(s) sources: fetched with a time limit, a size cap and a redirect limit.

Only text, Markdown, HTML and JSON are accepted; anything else, and any server error, is an
InputError naming the URL. Nothing a fetched page references is fetched.
"""
from __future__ import annotations

import http.client
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urljoin

from .. import __version__
from ..errors import InputError
from .trust import is_private_address

TIMEOUT = 20.0  # seconds for the whole request, not per read
MAX_REDIRECTS = 5
_CHUNK = 65536
_KINDS = {
    "text/html": "html", "application/xhtml+xml": "html",
    "text/plain": "text", "text/markdown": "text", "text/x-markdown": "text",
    "application/json": "json", "application/x-ndjson": "jsonl", "application/jsonl": "jsonl",
}


@dataclass(frozen=True)
class Page:
    url: str  # after redirects
    data: bytes
    content_type: str
    charset: str | None
    kind: str | None  # html, text, json, jsonl; None: sniff


class _Redirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS

    def http_error_302(self, req, fp, code, msg, headers):
        target = urljoin(req.full_url, headers.get("Location") or headers.get("URI") or "")
        if not target.lower().startswith(("http://", "https://")):
            fp.close()
            raise InputError(req.full_url, f"redirected to a non-http address ({target.split(':', 1)[0]}:)")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _public_connection(address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None, **extra):
    """socket.create_connection, for public addresses only. The name is resolved once, every
    address it resolves to is checked before any is connected to, and the checked address is the
    one connected to: neither a redirect nor a name that resolves differently the second time
    reaches a private address, and a refused address is not even probed."""
    host, port = address[0], address[1]
    found = socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)
    for *_, sockaddr in found:
        if is_private_address(sockaddr[0]):
            raise InputError(host, f"is on a private, loopback or link-local address ({sockaddr[0]}); "
                                   f"pass --allow-private to fetch it")
    failure: OSError = OSError(f"{host} has no address")
    for family, kind, proto, _, sockaddr in found:
        sock = socket.socket(family, kind, proto)
        try:
            if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            return sock
        except OSError as exc:
            sock.close()
            failure = exc
    raise failure


class _PublicHTTP(http.client.HTTPConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _public_connection


class _PublicHTTPS(http.client.HTTPSConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _public_connection


class _PublicHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_PublicHTTP, req)


class _PublicHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(_PublicHTTPS, req, context=self._context)


def fetch(url: str, *, max_bytes: int, timeout: float = TIMEOUT, max_redirects: int = MAX_REDIRECTS,
          allow_private: bool = False) -> Page:
    """GET a URL; InputError on a server error, a time-out, too many redirects, too much data,
    non-text content, or (unless allow_private) a private, loopback or link-local address."""
    redirects = _Redirects()
    redirects.max_redirections = max_redirects
    handlers = [redirects] if allow_private else [redirects, _PublicHandler(), _PublicHTTPSHandler()]
    opener = urllib.request.build_opener(*handlers)
    request = urllib.request.Request(url, headers={
        "User-Agent": f"reconcile/{__version__}",
        "Accept": "text/html, application/xhtml+xml, text/plain, text/markdown, application/json;q=0.9, */*;q=0.1",
    })
    deadline = time.monotonic() + timeout
    try:
        with opener.open(request, timeout=timeout) as response:
            headers: Message = response.headers
            content_type = headers.get_content_type()
            kind = _kind(content_type, headers.get("Content-Type") is None, url)
            length = headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise InputError(url, f"is {int(length):,} bytes, over the limit of {max_bytes:,} bytes (--max-bytes)")
            chunks, size = [], 0
            while True:
                if time.monotonic() > deadline:
                    raise InputError(url, f"timed out after {timeout:g} s")
                chunk = response.read(_CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise InputError(url, f"sent more than the limit of {max_bytes:,} bytes (--max-bytes)")
                chunks.append(chunk)
            return Page(url=response.geturl(), data=b"".join(chunks), content_type=content_type,
                        charset=headers.get_content_charset(), kind=kind)
    except InputError as exc:  # raised on a redirect: name the URL the user gave
        raise InputError(url, exc.problem) from None
    except urllib.error.HTTPError as exc:
        exc.close()
        if 300 <= exc.code < 400:
            raise InputError(url, f"too many redirects (more than {max_redirects})") from None
        raise InputError(url, f"the server answered {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (socket.timeout, TimeoutError)):
            raise InputError(url, f"timed out after {timeout:g} s") from None
        raise InputError(url, f"cannot fetch: {getattr(reason, 'strerror', None) or reason}") from None
    except (socket.timeout, TimeoutError):
        raise InputError(url, f"timed out after {timeout:g} s") from None
    except OSError as exc:
        raise InputError(url, f"cannot fetch: {exc.strerror or exc}") from None
    except ValueError as exc:  # a malformed URL or header
        raise InputError(url, f"cannot fetch: {exc}") from None


def _kind(content_type: str, missing: bool, url: str) -> str | None:
    if missing:
        return None
    if content_type in _KINDS:
        return _KINDS[content_type]
    if content_type.startswith("text/"):
        return "text"
    if content_type.endswith(("+json",)):
        return "json"
    raise InputError(url, f"is {content_type}, not text or HTML")
