"""http(s) sources, against a local server on 127.0.0.1 in a thread: nothing else is contacted."""
import http.server
import json
import threading
import time

import pytest

from reconcile.errors import InputError
from reconcile.ingest import SourceWarning, Trust, load_sources
from tests.test_inputs_formats import PAGE

TEXT = "Flood water reached the old mill on Tuesday, the fire service said.\nAbout 40 homes were evacuated.\n"
ROUTES = {
    "/article.html": (200, "text/html; charset=utf-8", PAGE.encode()),
    "/wire.txt": (200, "text/plain; charset=utf-8", TEXT.encode()),
    "/old.txt": (200, "text/plain; charset=windows-1252", "Caf\u00e9 \u201cMill\u201d: 40 homes.".encode("cp1252")),
    "/notes.md": (200, "text/markdown", ("---\noutlet: Mill Notes\n---\n" + TEXT).encode()),
    "/feed.json": (200, "application/json", json.dumps([{"text": TEXT, "outlet": "A"}, {"text": TEXT}]).encode()),
    "/untyped": (200, None, TEXT.encode()),
    "/photo.png": (200, "image/png", b"\x89PNG\r\n\x1a\n" + bytes(100)),
    "/report.pdf": (200, "application/pdf", b"%PDF-1.7\n"),
    "/big.txt": (200, "text/plain", b"word " * 4000),
    "/empty.txt": (200, "text/plain", b""),
    "/missing": (404, "text/plain", b"not here"),
    "/broken": (500, "text/plain", b"oops"),
}


class Handler(http.server.BaseHTTPRequestHandler):
    requests: list = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        Handler.requests.append(self.path)
        if self.path.startswith("/hop/"):
            n = int(self.path.rsplit("/", 1)[1])
            self.send_response(302)
            self.send_header("Location", f"/hop/{n + 1}" if n < 50 else "/wire.txt")
            self.end_headers()
            return
        if self.path == "/to-article":
            self.send_response(301)
            self.send_header("Location", "/article.html")
            self.end_headers()
            return
        if self.path == "/to-file":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()
            return
        if self.path == "/slow":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            try:
                for _ in range(40):  # a trickle: each read is quick, the whole is not
                    self.wfile.write(b"word ")
                    self.wfile.flush()
                    time.sleep(0.05)
            except OSError:
                pass
            return
        if self.path == "/chunked-big":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()  # no Content-Length: the cap must hold while reading
            try:
                for _ in range(100):
                    self.wfile.write(b"x" * 1000)
            except OSError:
                pass
            return
        status, ctype, body = ROUTES.get(self.path, (404, "text/plain", b"no"))
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def load(items, **options):
    """load_sources, trusting the test's own server on 127.0.0.1."""
    return load_sources(items, trust=Trust(fetch=True, private=True), **options)


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


def test_html_page(server):
    Handler.requests.clear()
    (source,) = load([server + "/article.html"])
    assert (source.id, source.name, source.kind, source.path) == (
        "article", "Valley Courier", "html", server + "/article.html")
    assert "Brackenford" in source.text
    assert Handler.requests == ["/article.html"]  # the stylesheet, script and image it names are not fetched


def test_text_markdown_and_json(server):
    sources = load([server + "/wire.txt", server + "/notes.md", server + "/feed.json", server + "/untyped"])
    by_id = {s.id: s for s in sources}
    assert sorted(by_id) == ["feed-1", "feed-2", "notes", "untyped", "wire"]
    assert by_id["wire"].text == TEXT and by_id["wire"].url == server + "/wire.txt"
    assert by_id["notes"].name == "Mill Notes"
    assert by_id["feed-1"].kind == "json"


def test_charset_from_the_content_type(server):
    (source,) = load([server + "/old.txt"])
    assert source.text == "Caf\u00e9 \u201cMill\u201d: 40 homes."


def test_redirect_is_followed_and_the_final_url_kept(server):
    (source,) = load([server + "/to-article"])
    assert source.kind == "html" and source.url == server + "/article.html"


@pytest.mark.parametrize("route,problem", [
    ("/missing", "the server answered 404"),
    ("/broken", "the server answered 500"),
    ("/photo.png", "is image/png, not text or HTML"),
    ("/report.pdf", "is application/pdf, not text or HTML"),
    ("/empty.txt", "empty"),
    ("/hop/0", "too many redirects"),
    ("/to-file", "redirected to a non-http address"),
])
def test_refused_with_a_clear_error(server, route, problem):
    with pytest.raises(InputError, match=problem) as info:
        load([server + route])
    assert info.value.where == server + route


def test_size_cap(server):
    with pytest.raises(InputError, match="over the limit of 1,000 bytes"):
        load([server + "/big.txt"], max_bytes=1000)
    with pytest.raises(InputError, match="more than the limit of 5,000 bytes"):
        load([server + "/chunked-big"], max_bytes=5000)


def test_time_limit_covers_the_whole_response(server):
    with pytest.raises(InputError, match="timed out after 0.5 s"):
        load([server + "/slow"], timeout=0.5)


def test_nobody_listening():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(InputError, match="cannot fetch"):
        load([f"http://127.0.0.1:{port}/a.txt"], timeout=2)


def test_url_in_a_manifest_and_twice_on_the_command_line(server, tmp_path):
    manifest = tmp_path / "case.yaml"
    manifest.write_text(f"event: Mill flood\nsources:\n  - url: {server}/wire.txt\n    outlet: Wire\n"
                        f"  - url: {server}/article.html\n", encoding="utf-8")
    with pytest.warns(SourceWarning, match="given 2 times"):
        sources = load([str(manifest), server + "/wire.txt"])
    assert [(s.id, s.name, s.event) for s in sources] == [
        ("article", "Valley Courier", "Mill flood"), ("wire", "Wire", "Mill flood")]


def test_cli_compares_urls(server):
    from click.testing import CliRunner

    from reconcile.cli import main

    result = CliRunner().invoke(main, ["compare", server + "/article.html", server + "/wire.txt", "-f", "json",
                                       "--allow-private"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {s["id"]: s.get("kind", "text") for s in data["sources"]} == {"article": "html", "wire": "text"}


# --- what a manifest or a URL may reach ---------------------------------------------------------

def cli(*args):
    from click.testing import CliRunner

    from reconcile.cli import main

    return CliRunner().invoke(main, [*map(str, args)])


def test_a_private_address_is_refused_unless_allowed(server):
    Handler.requests.clear()
    with pytest.raises(InputError, match=r"private, loopback or link-local address \(127.0.0.1\); pass --allow-private"):
        load_sources([server + "/wire.txt"])
    result = cli("compare", server + "/article.html", server + "/wire.txt", "-f", "json")
    assert result.exit_code == 2 and result.stdout == "" and len(result.stderr.splitlines()) == 1
    assert f"{server}/" in result.stderr and "--allow-private" in result.stderr
    assert Handler.requests == []  # refused on connecting, before any request was sent


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "192.168.0.1", "172.16.5.4", "169.254.169.254", "::1",
                                     "fe80::1%eth0", "fd00::1", "::ffff:127.0.0.1", "0.0.0.0", "100.64.0.1"])
def test_private_loopback_and_link_local_addresses(address):
    from reconcile.ingest.trust import is_private_address

    assert is_private_address(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "8.8.8.8"])
def test_public_addresses(address):
    from reconcile.ingest.trust import is_private_address

    assert not is_private_address(address)


def test_a_manifest_url_is_fetched_only_with_allow_fetch(server, tmp_path):
    manifest = tmp_path / "case.yaml"
    manifest.write_text(f"event: Mill flood\nsources:\n  - path: wire.txt\n  - url: {server}/article.html\n",
                        encoding="utf-8")
    (tmp_path / "wire.txt").write_text(TEXT, encoding="utf-8")
    Handler.requests.clear()
    refused = cli("compare", manifest, "-f", "json", "--allow-private")
    assert refused.exit_code == 2 and refused.stdout == "" and len(refused.stderr.splitlines()) == 1
    assert f"{manifest}: line 4: {server}/article.html" in refused.stderr and "--allow-fetch" in refused.stderr
    assert Handler.requests == []
    fetched = cli("compare", manifest, "-f", "json", "--allow-private", "--allow-fetch")
    assert fetched.exit_code == 0, fetched.output
    assert sorted(s["id"] for s in json.loads(fetched.stdout)["sources"]) == ["article", "wire"]
