"""The HTML report without a browser: its structure against golden files, the data it embeds against
the JSON report, escaping of hostile articles, and that nothing outside the page is referenced.
What a browser does with the page is tested in test_html_browser.py.

Rewrite the goldens after an intended change with
    RECONCILE_UPDATE_GOLDEN=1 python -m pytest -q tests/test_html_report.py
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from reconcile.cli import main
from reconcile.models import Claim, Finding, Report, Sentence, SourceSummary
from reconcile.report import render
from reconcile.report.html import script_json
from reconcile.report.htmldata import VERDICT_ORDER, page_data, web_url

from conftest import FIXTURES, GOLDEN, REPO, check_golden, page_structure

HOSTILE = ('<script>window.pwned = 1</script> The mayor said 12 people died. '
           'Officials said </textarea></script><script>window.pwned = 2</script> 12 people died.\n\n'
           '"><img src=x onerror="window.pwned = 3"> Police said 40 people were injured \u2028 in the blast.\n')


def embedded(page: str) -> dict:
    """The JSON the page embeds."""
    match = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', page, re.S)
    assert match, "the page has no data element"
    return json.loads(match.group(1))


def compare_html(*args: str) -> str:
    result = CliRunner().invoke(main, ["compare", *args, "--format", "html"])
    assert result.exit_code == 0, result.output
    return result.stdout


def utf16_slice(text: str, start: int, end: int) -> str:
    """text[start:end] with JavaScript's offsets (UTF-16 code units)."""
    return text.encode("utf-16-le")[2 * start:2 * end].decode("utf-16-le")


# --- golden pages ---------------------------------------------------------------------------------

def test_kyiv_page_matches_the_golden_file(monkeypatch):
    monkeypatch.chdir(REPO)  # paths in the page are relative, as when the CLI runs from the repo root
    check_golden(GOLDEN / "kyiv-drones.html-data.json", page_structure(compare_html("fixtures/kyiv-drones/")))


def test_check_page_matches_the_golden_file(monkeypatch):
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(main, ["check", "fixtures/drafts/kyiv-drones-wrong.md", "--against",
                                       "fixtures/kyiv-drones/", "--format", "html"])
    assert result.exit_code == 1, result.output  # the draft contradicts its sources
    check_golden(GOLDEN / "kyiv-drones-check.html-data.json", page_structure(result.stdout))


def test_page_is_one_file_with_landmarks_and_its_assets_inline(monkeypatch):
    monkeypatch.chdir(REPO)
    page = compare_html("fixtures/kyiv-drones/")
    for landmark in ('<header class="banner">', '<main id="main">', 'role="search"',
                     '<section id="findings" class="findings-pane" aria-labelledby="findings-heading">',
                     '<section id="sources" class="columns-pane" aria-labelledby="sources-heading">'):
        assert landmark in page
    assert page.count("<style>") == 1 and page.count("<script>") == 1
    assert page.count("<script") == 2  # the data (not executed) and the script
    assert '<label for="search">' in page and '<label for="source-filter">' in page
    assert page.startswith("<!DOCTYPE html>\n") and page.endswith("</html>\n")


# --- the embedded data is the report --------------------------------------------------------------

@pytest.fixture(scope="module")
def kyiv() -> tuple[dict, dict]:
    """The kyiv-drones page's data and the JSON report of the same run."""
    runner = CliRunner()
    args = ["compare", str(FIXTURES / "kyiv-drones"), "--explain"]
    page = runner.invoke(main, [*args, "--format", "html"])
    report = runner.invoke(main, [*args, "--format", "json"])
    assert page.exit_code == report.exit_code == 0
    return embedded(page.stdout), json.loads(report.stdout)


def test_embedded_sources_are_the_reports_sources(kyiv):
    data, report = kyiv
    assert data["format"] == "reconcile.html/1" and data["mode"] == "compare"
    assert [(s["id"], s["name"], s["path"], s["date"], s.get("url")) for s in data["sources"]] == \
        [(s["id"], s["name"], s["path"], s["date"], s.get("url")) for s in report["sources"]]
    assert not any(s["excerpt"] for s in data["sources"])
    assert data["summary"] == report["summary"]


def test_embedded_findings_are_the_reports_findings_contradictions_first(kyiv):
    data, report = kyiv
    by_id = {f["id"]: f for f in report["findings"]}
    assert sorted(f["id"] for f in data["findings"]) == sorted(by_id)
    ranks = [VERDICT_ORDER.index(f["verdict"]) for f in data["findings"]]
    assert ranks == sorted(ranks) and data["findings"][0]["verdict"] == "contradiction"
    for shown in data["findings"]:
        want = by_id[shown["id"]]
        for key in ("verdict", "kind", "topic", "summary", "confidence", "conflicts"):
            assert shown[key] == want[key], key
        assert shown["rules"] == want["explain"]["rules"] and shown["score"] == want["explain"].get("score")
        claims = []
        for source, mark, *_ in shown["claims"]:
            s = data["sources"][source]
            start, end, line, column = s["marks"][mark]
            claims.append({"source": s["id"], "text": utf16_slice(s["text"], start, end), "line": line,
                           "column": column})
        assert claims == [{k: c[k] for k in ("source", "text", "line", "column")} for c in want["claims"]]
        assert [{"claim": c, "source": want["claims"][c]["source"], "value": v} for c, v in shown["values"]] \
            == want["values"]


def test_every_line_of_a_column_is_the_line_of_the_file(kyiv):
    data, _ = kyiv
    for source in data["sources"]:
        lines = Path(source["path"]).read_text(encoding="utf-8").split("\n")
        for number, start, end in source["lines"]:
            assert source["text"][start:end] == lines[number - 1]
        # every line with words is shown; only blank ones (and front matter, blanked by ingest) are not
        assert {n for n, *_ in source["lines"]} == \
            {n for n, line in enumerate(lines, 1) if line.strip()} - set(range(1, _front_matter_lines(lines) + 1))


def _front_matter_lines(lines: list[str]) -> int:
    return lines.index("---", 1) + 1 if lines and lines[0] == "---" else 0


def test_stances_say_who_denies_or_hedges(kyiv):
    data, _ = kyiv
    denial = next(f for f in data["findings"] if f["kind"] == "denial")
    assert "denied" in [claim[2] for claim in denial["claims"] if len(claim) > 2]


def test_check_page_puts_the_draft_first_with_severities():
    result = CliRunner().invoke(main, ["check", str(FIXTURES / "drafts" / "kyiv-drones-wrong.md"), "--against",
                                       str(FIXTURES / "kyiv-drones"), "--format", "html"])
    data = embedded(result.stdout)
    assert data["mode"] == "check"
    assert data["sources"][0]["draft"] is True and data["sources"][0]["id"] == "kyiv-drones-wrong"
    assert not any(s["draft"] for s in data["sources"][1:])
    assert data["verdicts"] == ["contradiction", "disputed", "unsupported", "omitted"]
    assert {f["severity"] for f in data["findings"]} == {"error"}
    assert all(f["claims"][0][0] == 0 for f in data["findings"])  # the draft's claim comes first


# --- hostile articles --------------------------------------------------------------------------------

@pytest.fixture
def hostile_case(tmp_path) -> Path:
    case = tmp_path / "case"
    case.mkdir()
    (case / "a.md").write_text('---\noutlet: "<b onmouseover=alert(1)>Outlet</b>"\nurl: "javascript:alert(1)"\n---\n'
                               + HOSTILE, encoding="utf-8")
    (case / "b.md").write_text('---\nurl: "https://example.org/b?x=1&y=<2>"\n---\n'
                               "</textarea><svg onload=alert(1)> The mayor said 15 people died.\n"
                               "Police said 40 people were injured \U0001F600 in the blast.\n", encoding="utf-8")
    (case / "case.yaml").write_text('event: "</title><script>window.pwned = 4</script> @DATA@ @JS@"\nsources:\n'
                                    '  - path: a.md\n  - path: b.md\n', encoding="utf-8")
    return case


def test_hostile_text_never_becomes_markup(hostile_case):
    page = compare_html(str(hostile_case / "case.yaml"))
    head, _, _ = page.partition('<script type="application/json"')
    assert "<script>window" not in page and "<img" not in page and "<svg" not in page and "<b " not in page
    assert page.count("</script>") == 2 and page.count("<script") == 2
    # the event is escaped, and a placeholder of the page's template in it stays text
    assert "<title>&lt;/title&gt;&lt;script&gt;window.pwned = 4&lt;/script&gt; @DATA@ @JS@</title>" in head
    assert "\u2028" not in page and "\u2029" not in page
    data = embedded(page)
    assert data["event"] == "</title><script>window.pwned = 4</script> @DATA@ @JS@"
    outlet = next(s for s in data["sources"] if s["id"] == "a")
    assert outlet["name"] == "<b onmouseover=alert(1)>Outlet</b>" and outlet["url"] is None  # javascript: is no link
    assert next(s for s in data["sources"] if s["id"] == "b")["url"] == "https://example.org/b?x=1&y=<2>"
    assert "</textarea></script><script>window.pwned = 2</script>" in outlet["text"]


def test_script_json_escapes_what_could_end_the_element():
    text = script_json({"t": "</script><!-- & \u2028\u2029 \ud800"})
    assert not re.search(r"[<>&\u2028\u2029\ud800-\udfff]", text)
    assert json.loads(text) == {"t": "</script><!-- & \u2028\u2029 \ud800"}
    text.encode("utf-8")  # a lone surrogate is escaped, so the page is valid UTF-8


@pytest.mark.parametrize("url, link", [
    ("https://example.org/a", "https://example.org/a"), ("http://example.org", "http://example.org"),
    ("javascript:alert(1)", None), (" JavaScript:alert(1)", None), ("data:text/html,<b>", None),
    ("//example.org/x", None), ("vbscript:x", None), (None, None), ("", None), ("http://[::1", None)])
def test_only_web_urls_become_links(url, link):
    assert web_url(url) == link


# --- nothing from elsewhere -------------------------------------------------------------------------

def test_the_page_references_nothing_outside_itself(monkeypatch):
    monkeypatch.chdir(REPO)
    page = compare_html("fixtures/kyiv-drones/")
    data = embedded(page)
    shell = page.replace(page[page.index('<script type="application/json"'):page.index("</script>") + 9], "")
    style = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    assert not re.search(r"url\(|@import|@font-face", style, re.I), "the styles must load nothing"
    # No attribute that loads (src, srcset, action, a link to anything but a place in the page),
    # and no address but the SVG namespace's name, in the markup or the script.
    assert not re.search(r"""\b(?:src|srcset|action)\s*=|href\s*=\s*["'](?!#)|https?://(?!www\.w3\.org/2000/svg")""",
                         shell, re.I), "the page must fetch nothing"
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'none'" and directives["img-src"] == "'none'"
    import base64
    import hashlib

    script = re.search(r"<script>(.*?)</script>", page, re.S).group(1)
    for name, body in (("script-src", script), ("style-src", style)):
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        assert directives[name] == f"'sha256-{digest}'"
    assert data["sources"][0]["url"].startswith("https://")  # a link the user may follow, never a fetch


# --- same input, same bytes ----------------------------------------------------------------------------

def test_the_page_does_not_depend_on_the_order_of_the_sources(monkeypatch):
    monkeypatch.chdir(REPO)
    names = ["fixtures/kyiv-drones/wire.txt", "fixtures/kyiv-drones/broadsheet.md", "fixtures/kyiv-drones/cable.txt"]
    assert compare_html(*names) == compare_html(*reversed(names)) == compare_html(*sorted(names))


# --- offsets -----------------------------------------------------------------------------------------

def _one_sentence_report(text: str, sentence: str, source: str = "a") -> Report:
    start = text.index(sentence)
    line = text.count("\n", 0, start) + 1
    s = Sentence(source_id=source, index=0, start=start, end=start + len(sentence), line=line,
                 column=start - text.rfind("\n", 0, start), text=sentence)
    claim = Claim(id=f"{source}:0", source_id=source, sentence=s, norm=sentence, words=(), names=(), quantities=(),
                  polarity="affirmed", modality="asserted", speaker=None)
    finding = Finding(id="u-1", verdict="unique", kind=None, topic="t", summary="only a", confidence=0.5,
                      claims=(claim,))
    return Report(sources=(SourceSummary(id=source, name=source, path=None, sentences=1, claims=1),),
                  findings=(finding,))


def test_offsets_count_utf16_units_after_characters_beyond_the_bmp():
    text = "\U0001F600 emoji \U0001F4A5 first.\nThe mayor said 12 people died.\n"
    data = page_data(_one_sentence_report(text, "The mayor said 12 people died."), {"a": text})
    source = data["sources"][0]
    start, end, line, column = source["marks"][0]
    assert utf16_slice(source["text"], start, end) == "The mayor said 12 people died."
    assert (line, column) == (2, 1)
    number, a, b = source["lines"][0]
    assert utf16_slice(source["text"], a, b) == "\U0001F600 emoji \U0001F4A5 first."


# Any character a decoded article can hold (no lone surrogates), with line breaks and emoji made likely.
TEXT = st.one_of(st.characters(blacklist_categories=("Cs",)), st.sampled_from("\r\n \u2028\U0001F600<&"))


@settings(max_examples=200, deadline=None)
@given(before=st.text(TEXT, max_size=40), sentence=st.text(TEXT, min_size=1, max_size=40).filter(str.strip),
       after=st.text(TEXT, max_size=20))
def test_offsets_in_the_page_find_the_sentence_in_any_text(before, sentence, after):
    """Whatever the text holds (emoji, CR, LF, U+2028), the page's offsets and lines point at it."""
    text = before + sentence + after
    start = len(before)
    line = len(re.findall(r"\r\n|\r|\n", before)) + 1
    s = Sentence(source_id="a", index=0, start=start, end=start + len(sentence), line=line, column=1, text=sentence)
    claim = Claim(id="a:0", source_id="a", sentence=s, norm="", words=(), names=(), quantities=(),
                  polarity="affirmed", modality="asserted", speaker=None)
    report = Report(sources=(SourceSummary(id="a", name="a", path=None, sentences=1, claims=1),),
                    findings=(Finding(id="u", verdict="unique", kind=None, topic="t", summary="s", confidence=0.5,
                                      claims=(claim,)),))
    data = json.loads(script_json(page_data(report, {"a": text})))
    source = data["sources"][0]
    assert source["excerpt"] is False and source["text"] == text
    a, b, shown_line, _ = source["marks"][0]
    assert utf16_slice(text, a, b) == sentence
    assert shown_line == line
    for number, a, b in source["lines"]:
        piece = utf16_slice(text, a, b)
        assert piece.strip() and not re.search(r"[\r\n]", piece)


def test_without_the_text_a_column_shows_the_cited_sentences():
    text = "Intro line.\n\nThe mayor said 12 people died.\n"
    report = _one_sentence_report(text, "The mayor said 12 people died.")
    for texts in (None, {"a": "a different text altogether, so the offsets do not hold"}):
        source = page_data(report, texts)["sources"][0]
        assert source["excerpt"] is True and source["text"] == "The mayor said 12 people died."
        assert source["lines"] == [[3, 0, 30]] and source["marks"] == [[0, 30, 3, 1]]


def test_the_shared_sample_report_renders_without_texts(report):
    data = embedded(render(report, "html"))
    assert [s["id"] for s in data["sources"]] == ["broadsheet", "stdin", "wire"]
    assert all(s["excerpt"] for s in data["sources"])
    for f, shown in zip(sorted(report.findings, key=lambda f: VERDICT_ORDER.index(f.verdict)), data["findings"]):
        for claim, (s, m, *_) in zip(f.claims, shown["claims"]):
            source = data["sources"][s]
            a, b = source["marks"][m][:2]
            assert " ".join(source["text"][a:b].split()) == " ".join(claim.sentence.text.split())


# --- the command line --------------------------------------------------------------------------------

def test_output_may_not_overwrite_an_input_or_land_in_an_input_folder(tmp_path):
    case = tmp_path / "case"
    case.mkdir()
    for name in ("wire.txt", "cable.txt"):
        (case / name).write_text((FIXTURES / "kyiv-drones" / name).read_text(encoding="utf-8"), encoding="utf-8")
    runner = CliRunner()
    over = runner.invoke(main, ["compare", str(case), "-f", "html", "-o", str(case / "wire.txt")])
    assert over.exit_code == 2 and "one of the inputs" in over.output
    assert (case / "wire.txt").read_text(encoding="utf-8").startswith("Russian drones")
    beside = runner.invoke(main, ["compare", str(case), "-f", "html", "-o", str(case / "report.html")])
    assert beside.exit_code == 2 and "input directory" in beside.output
    written = runner.invoke(main, ["compare", str(case), "-f", "html", "-o", str(tmp_path / "report.html")])
    assert written.exit_code == 0 and embedded((tmp_path / "report.html").read_text(encoding="utf-8"))["findings"]
