"""Every input format: HTML pages, JSON and JSON Lines, case manifests, encodings, line endings."""
import json
import sys
from pathlib import Path

import pytest

from reconcile.errors import InputError
from reconcile.ingest import SourceWarning, decode, load_sources, read_source
from reconcile.ingest.html import extract

PAGE = """<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Flood water reaches the old mill | Valley Courier</title>
<meta property="og:title" content="Flood water reaches the old mill">
<meta property="og:site_name" content="Valley Courier">
<meta property="article:published_time" content="2024-03-05T09:30:00Z">
<link rel="stylesheet" href="http://127.0.0.1:9/style.css">
<script>document.title = "executed"; fetch("http://127.0.0.1:9/beacon");</script>
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<div class="cookie-banner" id="cookie-consent"><p>We use cookies to improve your experience. Accept all cookies?</p></div>
<article>
<h1>Flood water reaches the old mill</h1>
<p>Flood water from the Tarn reached the old mill in Brackenford on Tuesday morning, the county fire service said.</p>
<p>About 40 homes were evacuated overnight, according to the district council, and two people were taken to hospital.</p>
<p>&ldquo;We have never seen the water this high,&rdquo; said Mara Jensen, who has run the bakery on Mill Lane for 22 years.</p>
<p>Forecasters expect the river to peak on Wednesday evening at 4.2&nbsp;metres.</p>
<img src="http://127.0.0.1:9/pixel.gif">
</article>
<aside class="related"><h3>Related stories</h3><ul><li><a href="/a">Bridge shut after storm</a></li>
<li><a href="/b">Council backs new flood wall</a></li></ul></aside>
<section id="comments" class="comments"><h3>Comments</h3>
<div class="comment"><p>This happens every single year and nobody in charge ever does anything about it!</p></div></section>
<footer><p>Copyright 2024 Valley Courier. All rights reserved.</p></footer>
</body></html>
"""

WIRE = """---
outlet: Northern Wire
date: 2024-03-05T07:00:00Z
---
Flood water from the Tarn reached the old mill in Brackenford on Tuesday, the fire service said.
About 30 homes were evacuated overnight, the district council said.
"""


def write(folder, name, content, encoding="utf-8"):
    path = folder / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return str(path)


# HTML -----------------------------------------------------------------------------------------

def test_html_main_text_without_navigation_banners_related_links_or_comments():
    text, meta = extract(PAGE, "page.html")
    assert "reached the old mill in Brackenford" in text and "4.2" in text
    for furniture in ("Home", "cookies", "Related stories", "Bridge shut", "nobody in charge", "Copyright", "executed"):
        assert furniture not in text
    assert meta["outlet"] == "Valley Courier"
    assert meta["title"] == "Flood water reaches the old mill"
    assert meta["date"] == "2024-03-05"


def test_html_source_is_named_dated_and_marked_as_extracted(tmp_path):
    (source,) = load_sources([write(tmp_path, "courier.html", PAGE)])
    assert (source.id, source.name, source.date, source.kind) == ("courier", "Valley Courier", "2024-03-05T00:00:00Z", "html")
    assert source.text.startswith("Flood water reaches the old mill")


def test_html_offsets_index_the_extracted_text_and_the_report_says_so(tmp_path):
    import reconcile

    report = reconcile.compare([write(tmp_path, "courier.html", PAGE), write(tmp_path, "wire.md", WIRE)])
    data = report.to_dict()
    courier = next(s for s in data["sources"] if s["id"] == "courier")
    wire = next(s for s in data["sources"] if s["id"] == "wire")
    assert courier["kind"] == "html" and courier["extracted"] is True
    assert "kind" not in wire and "extracted" not in wire  # plain text reports are unchanged
    text = load_sources([str(tmp_path / "courier.html")])[0].text
    claims = [c for f in data["findings"] for c in f["claims"] if c["source"] == "courier"]
    assert claims
    for claim in claims:
        assert text[claim["start"]:claim["end"]] == claim["text"]
        assert text.splitlines()[claim["line"] - 1][claim["column"] - 1:].startswith(claim["text"][:20])


def test_html_in_windows_1252_with_a_meta_charset(tmp_path):
    page = PAGE.replace('charset="utf-8"', 'charset="windows-1252"').replace("&ldquo;", "\u201c").replace(
        "&rdquo;", "\u201d") + "<!-- \u00a3 -->"
    (source,) = load_sources([write(tmp_path, "old.htm", page, encoding="cp1252")])
    assert "\u201cWe have never seen" in source.text


def test_html_declaring_another_charset_is_read_in_it(tmp_path):
    page = PAGE.replace('charset="utf-8"', 'charset="koi8-r"').replace(
        "Mara Jensen", "\u041c\u0430\u0440\u0430 \u0419\u0435\u043d\u0441\u0435\u043d")
    (source,) = load_sources([write(tmp_path, "ru.html", page, encoding="koi8-r")])
    assert "\u041c\u0430\u0440\u0430" in source.text


def test_html_without_article_text_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no article text"):
        load_sources([write(tmp_path, "empty.html", "<html><head><title>x</title></head><body><script>go()</script><img src=a.png></body></html>")])


def test_stdin_html_is_recognised():
    (source,) = load_sources(["-"], stdin=PAGE.encode())
    assert source.kind == "html" and "Brackenford" in source.text


def test_trafilatura_is_imported_only_for_html(tmp_path):
    import subprocess

    code = ("import sys, reconcile; reconcile.compare([sys.argv[1], sys.argv[2]]); "
            "print('trafilatura' in sys.modules)")
    a = write(tmp_path, "a.txt", "The river rose by two metres on Tuesday.\n")
    b = write(tmp_path, "b.txt", "The river rose by three metres on Tuesday.\n")
    out = subprocess.run([sys.executable, "-c", code, a, b], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# JSON and JSON Lines ----------------------------------------------------------------------------

def test_json_object(tmp_path):
    path = write(tmp_path, "radio.json", json.dumps({"text": "Forty homes were evacuated.", "outlet": "Radio Tarn",
                                                    "date": "2024-03-05", "url": "https://radio.example/flood",
                                                    "author": "ignored"}))
    (source,) = load_sources([path])
    assert (source.id, source.name, source.date, source.url, source.kind) == (
        "radio", "Radio Tarn", "2024-03-05T00:00:00Z", "https://radio.example/flood", "json")


def test_json_list_gives_one_source_per_article_with_unique_ids(tmp_path):
    items = [{"text": "Forty homes were evacuated.", "outlet": "Radio Tarn"},
             {"text": "Fifty homes were evacuated.", "outlet": "Dale Gazette", "id": "gazette"},
             {"text": "Thirty homes were evacuated."}]
    sources = load_sources([write(tmp_path, "batch.json", json.dumps(items))])
    assert [s.id for s in sources] == ["batch-1", "batch-3", "gazette"]
    assert [s.name for s in sources] == ["Radio Tarn", "batch-3", "Dale Gazette"]


def test_jsonl_one_article_per_line(tmp_path):
    lines = [json.dumps({"text": "Forty homes were evacuated.\u2028Two people were hurt.", "outlet": "A"}), "",
             json.dumps({"text": "Fifty homes were evacuated.", "outlet": "B"})]
    sources = load_sources([write(tmp_path, "feed.jsonl", "\r\n".join(lines) + "\n")])
    assert [(s.id, s.name) for s in sources] == [("feed-1", "A"), ("feed-2", "B")]
    assert "\u2028" in sources[0].text


@pytest.mark.parametrize("name,content,problem", [
    ("bad.json", '{"text": "A.",\n "outlet": }', "invalid JSON at line 2 column"),
    ("list.json", "[]", "no articles"),
    ("notext.json", '{"title": "A"}', 'no "text"'),
    ("number.json", '{"text": 5}', '"text" is a number'),
    ("blank.json", '{"text": "  "}', '"text" is empty'),
    ("item.json", '[{"text": "A."}, "B."]', "item 2: expected an object"),
    ("meta.json", '{"text": "A.", "date": {"y": 2024}}', '"date" should be a string'),
    ("bad.jsonl", '{"text": "A."}\n{"text": "B."\n', "line 2: invalid JSON"),
    ("empty.jsonl", "\n\n \n", "empty"),
])
def test_bad_json_names_the_problem(tmp_path, name, content, problem):
    with pytest.raises(InputError, match=problem) as info:
        load_sources([write(tmp_path, name, content)])
    assert info.value.where.endswith(name)


# Case manifests ---------------------------------------------------------------------------------

def test_manifest_names_dates_and_weights_its_sources(tmp_path):
    write(tmp_path, "courier.html", PAGE)
    write(tmp_path, "wire.md", WIRE)
    manifest = write(tmp_path, "case.yaml", """\
event: Brackenford flood, March 2024
sources:
  - path: courier.html
    outlet: The Courier
    weight: 2
  - path: wire.md
    id: nw
    date: 2024-03-05T08:15:00Z
""")
    courier, nw = load_sources([manifest])
    assert (courier.name, courier.weight, courier.date, courier.kind) == ("The Courier", 2.0, "2024-03-05T00:00:00Z", "html")
    assert (nw.id, nw.name, nw.date) == ("nw", "Northern Wire", "2024-03-05T08:15:00Z")
    assert courier.event == nw.event == "Brackenford flood, March 2024"
    assert courier.path == str(tmp_path / "courier.html")


def test_manifest_event_and_weights_reach_the_report(tmp_path):
    import reconcile

    write(tmp_path, "a.txt", "The river rose by two metres on Tuesday, the agency said.\n")
    write(tmp_path, "b.txt", "The river rose by three metres on Tuesday, the agency said.\n")
    manifest = write(tmp_path, "case.yml", "event: River rise\nsources:\n- path: a.txt\n  weight: 0.5\n- b.txt\n")
    data = reconcile.compare([manifest]).to_dict()
    assert data["event"] == "River rise"
    assert [s.get("weight") for s in data["sources"]] == [0.5, None]


@pytest.mark.parametrize("content,problem", [
    ("event: x\nsources:\n  - path: a.txt\n    outlet: [unclosed\n", "invalid YAML at line 5.*from line 4"),
    ("event: x\nsources:\n\t- path: a.txt\n", "invalid YAML at line 3"),
    ("event: x\nsauces:\n  - path: a.txt\n", "line 2: unknown key 'sauces'"),
    ("event: x\nsources:\n  - path: a.txt\n    outlett: A\n", "line 4: unknown source key 'outlett'"),
    ("event: x\nsources:\n  - path: a.txt\n    url: http://127.0.0.1:9/a\n", "line 3: a source needs exactly one"),
    ("event: x\nsources:\n  - outlet: A\n", "line 3: a source needs exactly one"),
    ("event: x\nsources:\n  - path: a.txt\n  - path: missing.txt\n", "line 4: missing.txt: no such file"),
    ("event: x\nsources:\n  - path: a.txt\n    weight: heavy\n", "line 4: `weight` should be a number"),
    ("event: x\nsources:\n  - path: a.txt\n    weight: -1\n", "line 4: `weight` should be a number"),
    ("event: x\nsources:\n  - url: ftp://127.0.0.1/a\n", "line 3: `url` should start with http"),
    ("event: x\nsources: []\n", "line 2: `sources` should be a list"),
    ("- a.txt\n- b.txt\n", "a case manifest is a mapping"),
    ("event: x\nsources:\n  - path: other.yaml\n", "line 3: a manifest cannot name another manifest"),
    ("event: !!python/object/apply:os.system ['true']\nsources: [a.txt]\n", "invalid YAML at line 1"),
])
def test_bad_manifest_names_the_line(tmp_path, content, problem):
    write(tmp_path, "a.txt", "Text.")
    write(tmp_path, "other.yaml", "event: y\nsources: [a.txt]\n")
    with pytest.raises(InputError, match=problem):
        load_sources([write(tmp_path, "case.yaml", content)])


def test_a_source_in_the_manifest_and_on_the_command_line_is_read_once_with_the_manifest_details(tmp_path):
    a = write(tmp_path, "a.txt", "The river rose by two metres.\n")
    write(tmp_path, "b.txt", "The river rose by three metres.\n")
    manifest = write(tmp_path, "case.yaml", "sources:\n- path: a.txt\n  outlet: Alpha\n- b.txt\n")
    for order in ([a, manifest], [manifest, a]):
        with pytest.warns(SourceWarning, match="given 2 times"):
            sources = load_sources(order)
        assert [(s.id, s.name) for s in sources] == [("a", "Alpha"), ("b", "b")]


def test_directory_does_not_pick_up_a_manifest(tmp_path):
    write(tmp_path, "a.txt", "One.")
    write(tmp_path, "case.yaml", "sources: [a.txt]\n")
    write(tmp_path, "b.json", '{"text": "Two."}')
    write(tmp_path, "c.html", PAGE)
    assert [s.id for s in load_sources([str(tmp_path)])] == ["a", "b", "c"]


# Encodings, line endings, normalisation ------------------------------------------------------------

SAMPLE = "Caf\u00e9 owner \u201cJos\u00e9\u201d said \u00a3500 \u2014 \u20ac20 \u2026 na\u00efve r\u00e9sum\u00e9."


@pytest.mark.parametrize("encoding,prefix", [
    ("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"),
    ("utf-32-le", b"\xff\xfe\x00\x00"), ("cp1252", b""),
])
def test_encodings_are_detected(encoding, prefix):
    assert decode(prefix + SAMPLE.encode(encoding), "f") == SAMPLE


def test_latin_1_is_read_as_windows_1252():
    """Every printable Latin-1 character reads the same; a Latin-1 file has no 0x80-0x9f bytes in text."""
    latin = "Stra\u00dfe, \u00e5ngstr\u00f6m, \u00bd \u00b0C, \u00a9 \u00ae \u00bf\u00a1 \u00f1 \u00e7 \u00fe \u00ff"
    assert decode(latin.encode("latin-1"), "f") == latin
    printable = bytes(range(0xa0, 0x100))
    assert decode(b"x " + printable, "f") == "x " + printable.decode("latin-1")


def test_bytes_undefined_in_windows_1252_are_undecodable():
    with pytest.raises(InputError, match="cannot decode.*byte 4"):
        decode(b"abc \x81\x8d\x90 text", "f")


def test_odd_utf16_is_undecodable():
    with pytest.raises(InputError, match="cannot decode: not valid UTF-16-LE"):
        decode(b"\xff\xfe" + "Kyiv".encode("utf-16-le") + b"\x00\xd8", "f")


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_endings_give_the_same_lines_and_columns(tmp_path, newline):
    import reconcile

    body = ["Flood water reached the old mill on Tuesday, the fire service said.",
            "", "About 40 homes were evacuated overnight, the council said."]
    a = write(tmp_path, "a.txt", newline.join(body) + newline)
    b = write(tmp_path, "b.txt", "About 40 homes were evacuated overnight, the council said.\n")
    data = reconcile.compare([a, b]).to_dict()
    found = {(c["line"], c["column"], c["text"]) for f in data["findings"] for c in f["claims"] if c["source"] == "a"}
    assert (3, 1, body[2]) in found


def test_curly_quotes_non_breaking_spaces_and_ligatures_compare_equal_while_offsets_stay():
    from reconcile.claims.text import normalise

    fancy = "The \ufb01re chief said \u201cfour\u00a0people\u201d were \ufb02own out\u2019s way."
    plain = "The fire chief said \"four people\" were flown out's way."
    assert normalise(fancy) == normalise(plain)


def test_fancy_and_plain_typography_agree_in_a_comparison(tmp_path):
    import reconcile

    fancy = write(tmp_path, "fancy.txt", "The \ufb01re chief, Anna\u00a0Berg, said \u201cfour people\u201d were "
                                          "rescued from the Brackenford mill.\n")
    plain = write(tmp_path, "plain.txt", "The fire chief, Anna Berg, said \"four people\" were "
                                          "rescued from the Brackenford mill.\n")
    report = reconcile.compare([fancy, plain])
    agreements = [f for f in report.findings if f.verdict == "agreement"]
    assert agreements and {c.source_id for c in agreements[0].claims} == {"fancy", "plain"}
    text = Path(fancy).read_text(encoding="utf-8")
    for claim in agreements[0].claims:
        if claim.source_id == "fancy":
            assert text[claim.sentence.start:claim.sentence.end] == claim.sentence.text


@pytest.mark.parametrize("text", [
    "\u041f\u043e \u0434\u0430\u043d\u043d\u044b\u043c \u0441\u043b\u0443\u0436\u0431\u044b, 40 \u0434\u043e\u043c\u043e\u0432 "
    "\u044d\u0432\u0430\u043a\u0443\u0438\u0440\u043e\u0432\u0430\u043d\u044b. \u0414\u0432\u043e\u0435 "
    "\u0433\u043e\u0441\u043f\u0438\u0442\u0430\u043b\u0438\u0437\u0438\u0440\u043e\u0432\u0430\u043d\u044b.",
    "\u6d2a\u6c34\u6df9\u6ca1\u4e86\u8001\u78e8\u574a\u3002\u7ea640\u6237\u5c45\u6c11\u64a4\u79bb\u3002",
    "\u0642\u0627\u0644 \u0627\u0644\u062f\u0641\u0627\u0639 \u0627\u0644\u0645\u062f\u0646\u064a \u0625\u0646 40 "
    "\u0645\u0646\u0632\u0644\u0627 \u0623\u062e\u0644\u064a\u062a.",
    "Le maire a d\u00e9clar\u00e9 que 40 maisons ont \u00e9t\u00e9 \u00e9vacu\u00e9es. \u00ab\u00a0C\u2019est grave\u00a0\u00bb, a-t-il dit.",
])
def test_text_in_another_language_is_processed(tmp_path, text):
    import reconcile

    a = write(tmp_path, "a.txt", text)
    b = write(tmp_path, "b.txt", text.replace("40", "45"))
    reconcile.compare([a, b]).to_dict()


def test_read_source_keeps_its_old_signature(tmp_path):
    source = read_source(write(tmp_path, "a.md", WIRE), "custom")
    assert (source.id, source.name, source.kind) == ("custom", "Northern Wire", "text")
    assert read_source("-", "in", b"Some text.").path is None
    given = read_source(str(tmp_path / "not-read.html"), "page", PAGE.encode())
    assert (given.kind, given.name) == ("html", "Valley Courier")


def test_reports_with_the_new_source_fields_match_the_schema(tmp_path):
    import jsonschema

    import reconcile
    from reconcile.data import __file__ as data_init

    schema = json.loads((Path(data_init).parent / "report.schema.json").read_text(encoding="utf-8"))
    write(tmp_path, "courier.html", PAGE)
    write(tmp_path, "radio.json", json.dumps({"text": "About 40 homes were evacuated overnight.", "url": "https://r.example/a"}))
    manifest = write(tmp_path, "case.yaml", "event: Mill flood\nsources:\n- path: courier.html\n  weight: 1.5\n- radio.json\n")
    data = reconcile.compare([manifest]).to_dict()
    jsonschema.validate(data, schema)
    assert data["event"] == "Mill flood"
    assert [(s["kind"], s["extracted"]) for s in data["sources"]] == [("html", True), ("json", True)]


@pytest.mark.parametrize("depth", [201, 260, 20_000])
def test_html_nested_deeper_than_the_parser_builds_is_read_by_a_plain_walk(tmp_path, depth):
    from click.testing import CliRunner

    from reconcile.cli import main

    body = ("<nav><a href=/>Home</a></nav><script>track()</script><p>Flood water reached the old mill "
            "in Brackenford on Tuesday, the fire service said.</p><p>About 40 homes were evacuated.</p>")
    page = write(tmp_path, "deep.html", "<html><head><title>Mill flood</title></head><body>" + "<div>" * depth
                 + body + "</div>" * depth + "</body></html>")
    (source,) = load_sources([page])
    assert source.kind == "html" and source.name == "Mill flood"
    assert [line for line in source.text.splitlines() if line] == [
        "Flood water reached the old mill in Brackenford on Tuesday, the fire service said.",
        "About 40 homes were evacuated."]
    other = write(tmp_path, "wire.txt", "Flood water reached the old mill on Tuesday, officials said.\n")
    result = CliRunner().invoke(main, ["compare", page, other, "-f", "json"])
    assert result.exit_code == 0, result.output
