"""The HTML report in a real browser: headless Chromium (Debian's chromium and chromium-driver)
driven by selenium. Clicking, filtering, keyboard, layout at 1,280 and 390 px, print, contrast, and
that the page asks for nothing from the network.

Without Chromium these tests are skipped; with RECONCILE_REQUIRE_BROWSER=1 (as .ci/run sets it)
they fail instead. Screenshots go to $RECONCILE_ARTEFACTS (default: a pytest temporary folder).
Timings are never asserted here: benchmarks/run.py measures how fast a large page opens.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from reconcile.cli import main
from reconcile.models import Claim, Finding, Report, Sentence, SourceSummary
from reconcile.report import render

import browser as chromium
from conftest import FIXTURES, REPO
from test_html_report import HOSTILE

SEEDS = REPO.parent / "shared" / "seeds"


def launch() -> chromium.Browser:
    """A browser; without one, skip, or fail where RECONCILE_REQUIRE_BROWSER=1 says it must be there."""
    reason = chromium.missing()
    if reason:
        if chromium.required():
            pytest.fail(f"RECONCILE_REQUIRE_BROWSER=1 but the browser cannot run: {reason}")
        pytest.skip(f"no headless browser: {reason}")
    return chromium.Browser()


@pytest.fixture(scope="module")
def browser():
    b = launch()
    yield b
    b.quit()


@pytest.fixture
def view(browser):
    """The browser at desktop size, with its logs drained, ready to open a page."""
    browser.resize(1280, 800)
    browser.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    browser.driver.get("about:blank")
    browser.requests()
    browser.console()
    return browser


@pytest.fixture(scope="module")
def artefacts(tmp_path_factory) -> Path:
    folder = os.environ.get("RECONCILE_ARTEFACTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def write_page(folder: Path, name: str, *args: str) -> Path:
    out = folder / name
    result = CliRunner().invoke(main, [*args, "--format", "html", "--output", str(out)])
    assert result.exit_code in (0, 1), result.output
    return out


@pytest.fixture(scope="module")
def kyiv(tmp_path_factory) -> Path:
    return write_page(tmp_path_factory.mktemp("pages"), "kyiv.html", "compare", str(FIXTURES / "kyiv-drones"))


def page_findings(b) -> list[dict]:
    return b.js("return Array.from(document.querySelectorAll('#findings-list > li.finding'), li => ({"
                "index: Number(li.dataset.index), verdict: li.className.match(/v-(\\w+)/)[1],"
                "text: li.textContent}))")


def visible_in_column(b, mark) -> bool:
    """The mark lies inside its column's scrolled view and inside the window."""
    return b.js("""
        const mark = arguments[0], body = mark.closest('.column-body');
        const m = mark.getBoundingClientRect(), c = body.getBoundingClientRect();
        return m.top >= c.top - 1 && m.bottom <= c.bottom + 1 && m.left >= c.left - 1 && m.right <= c.right + 1
            && m.top >= 0 && m.bottom <= window.innerHeight && m.left >= 0 && m.right <= window.innerWidth;
    """, mark)


# --- opening and selecting ----------------------------------------------------------------------------

def test_the_page_shows_every_finding_and_one_column_per_source(view, kyiv):
    view.open(kyiv)
    data = view.js("return JSON.parse(document.getElementById('report-data').textContent)")
    view.js("return new Promise(done => setTimeout(done, 50))")
    rows = page_findings(view)
    assert [r["index"] for r in rows] == list(range(len(data["findings"])))
    assert rows[0]["verdict"] == "contradiction"
    names = view.js("return Array.from(document.querySelectorAll('.column h3'), h => h.textContent)")
    assert names == ["The Evening Ledger (broadsheet)", "cable", "wire"]
    counts = view.js("return document.getElementById('counts').textContent")
    assert "3 contradictions" in counts and "6 agreements" in counts and "5 unique" in counts


def test_clicking_a_contradiction_scrolls_each_column_to_its_marked_sentence(view, kyiv):
    view.open(kyiv)
    data = view.js("return JSON.parse(document.getElementById('report-data').textContent)")
    contradictions = [i for i, f in enumerate(data["findings"]) if f["verdict"] == "contradiction"]
    assert contradictions
    for i in contradictions:
        # every column scrolled to its end first, so that the click has to bring each sentence back
        view.js("document.querySelectorAll('.column-body').forEach(b => b.scrollTop = b.scrollHeight)")
        view.driver.find_element("css selector", f"#finding-{i} .finding-head").click()
        finding = data["findings"][i]
        for source, mark, *_ in finding["claims"]:
            marks = view.driver.find_elements("css selector", f"#source-{source} mark.ev[data-m='{mark}']")
            assert marks, (i, source, mark)
            assert all("current" in m.get_attribute("class") and m.get_attribute("aria-current") == "true"
                       for m in marks)
            text = view.js("return arguments[0].map(m => m.textContent).join(' ')", marks)
            s = data["sources"][source]
            start, end = s["marks"][mark][:2]
            assert " ".join(text.split()) == " ".join(s["text"][start:end].split())
        for source in {c[0] for c in finding["claims"]}:  # the first sentence of each source is in view
            first = next(m for s, m, *_ in finding["claims"] if s == source)
            mark = view.driver.find_element("css selector", f"#source-{source} mark.ev[data-m='{first}']")
            assert visible_in_column(view, mark), (i, source)
        assert view.js("return document.querySelectorAll('mark.ev.current').length") >= len(finding["claims"])
        selected = view.js("return Array.from(document.querySelectorAll('li.finding.selected'), li => li.id)")
        assert selected == [f"finding-{i}"]


def test_clicking_a_highlighted_sentence_lists_its_findings(view, kyiv):
    view.open(kyiv)
    data = view.js("return JSON.parse(document.getElementById('report-data').textContent)")
    finding = data["findings"][0]
    source, mark = finding["claims"][0][:2]
    element = view.driver.find_element("css selector", f"#source-{source} mark.ev[data-m='{mark}']")
    view.js("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()
    listed = view.js("return Array.from(document.querySelectorAll('.popover li button .topic'), t => t.textContent)")
    assert finding["topic"] in listed
    assert view.js("return document.activeElement.closest('.popover') !== null")  # focus moves into the list
    buttons = view.driver.find_elements("css selector", ".popover li button")
    buttons[listed.index(finding["topic"])].click()
    assert view.js("return document.querySelectorAll('.popover').length") == 0
    assert view.js("return document.querySelector('li.finding.selected').id") == "finding-0"
    assert "current" in element.get_attribute("class")


# --- filters ----------------------------------------------------------------------------------------

def test_filter_by_verdict(view, kyiv):
    view.open(kyiv)
    total = len(page_findings(view))
    view.driver.find_element("css selector", "#verdict-contradiction").click()
    rows = page_findings(view)
    assert rows and all(r["verdict"] != "contradiction" for r in rows)
    assert len(rows) == total - 3
    assert view.js("return document.getElementById('shown').textContent") == f"Showing {total - 3} of {total} findings"
    # sentences that only hidden findings cite are no longer highlighted
    assert view.js("return document.querySelectorAll('mark.ev.muted').length") > 0
    view.driver.find_element("css selector", "#clear-filters").click()
    assert len(page_findings(view)) == total


def test_filter_by_source(view, kyiv):
    from selenium.webdriver.support.ui import Select

    view.open(kyiv)
    data = view.js("return JSON.parse(document.getElementById('report-data').textContent)")
    cable = [s["id"] for s in data["sources"]].index("cable")
    Select(view.driver.find_element("css selector", "#source-filter")).select_by_value(str(cable))
    shown = [r["index"] for r in page_findings(view)]
    expected = [i for i, f in enumerate(data["findings"]) if any(c[0] == cable for c in f["claims"])]
    assert shown == expected and 0 < len(shown) < len(data["findings"])


def test_search_as_you_type(view, kyiv):
    view.open(kyiv)
    box = view.driver.find_element("css selector", "#search")
    box.send_keys("rescued")
    rows = page_findings(view)
    assert rows and all("rescued" in r["text"].lower() for r in rows)
    box.send_keys(" 18")  # every word must match, evidence words and figures included
    assert 0 < len(page_findings(view)) <= len(rows)
    box.clear()
    box.send_keys("nothing-matches-this")
    assert page_findings(view) == [] and "Showing 0 of" in view.js("return document.getElementById('shown').textContent")


# --- nothing from the network, nothing from the articles runs ---------------------------------------

def test_the_page_requests_nothing_but_itself(view, kyiv):
    view.open(kyiv)
    view.driver.find_element("css selector", ".finding-head").click()
    view.js("return new Promise(done => setTimeout(done, 200))")  # the building in slices has run
    assert view.js("return performance.getEntriesByType('resource').length") == 0
    assert set(view.requests()) == {kyiv.resolve().as_uri()}
    assert not [m for m in view.console() if "Content Security Policy" in m or "SEVERE" in m]


def test_text_from_articles_is_never_markup_or_script(view, tmp_path):
    case = tmp_path / "case"
    case.mkdir()
    (case / "a.md").write_text('---\noutlet: "<b>Outlet</b>"\nurl: "javascript:window.pwned=5"\n---\n' + HOSTILE,
                               encoding="utf-8")
    (case / "b.txt").write_text('<img src=x onerror="window.pwned = 6"> The mayor said 15 people died.\n'
                                "Police said 40 people were injured in the blast.\n", encoding="utf-8")
    page = write_page(tmp_path, "hostile.html", "compare", str(case))
    view.open(page)
    view.js("document.querySelectorAll('.finding-head').forEach(b => b.click())")
    view.js("return new Promise(done => setTimeout(done, 200))")
    assert view.js("return window.pwned") is None
    assert view.js("return document.querySelectorAll('img, iframe, object, embed, b, textarea').length") == 0
    assert view.js("return document.scripts.length") == 2
    hrefs = view.js("return Array.from(document.querySelectorAll('[href]'), a => a.getAttribute('href'))")
    assert all(h.startswith("#") or h.startswith(("http://", "https://")) for h in hrefs), hrefs
    text = view.js("return document.getElementById('strip').textContent")
    assert "<script>window.pwned = 1</script>" in text and '"><img src=x onerror="window.pwned = 3">' in text
    assert "<b>Outlet</b>" in view.js("return document.getElementById('source-list').textContent")
    assert view.requests() == [page.resolve().as_uri()]


# --- accessibility ----------------------------------------------------------------------------------

def test_landmarks_and_labels(view, kyiv):
    view.open(kyiv)
    assert view.js("return document.documentElement.lang") == "en"
    assert view.js("return document.querySelectorAll('body > header, body > main, form[role=search]').length") == 3
    regions = view.js("""return Array.from(document.querySelectorAll('section[aria-labelledby], article[aria-labelledby]'),
        s => document.getElementById(s.getAttribute('aria-labelledby')).textContent.trim())""")
    assert regions[:2] == ["Findings", "The sources side by side"] and len(regions) == 2 + 3
    unlabelled = view.js("""return Array.from(document.querySelectorAll('input, select, button'))
        .filter(c => !(c.labels && c.labels.length) && !c.getAttribute('aria-label') && !c.textContent.trim())
        .map(c => c.outerHTML)""")
    assert unlabelled == []
    assert view.js("return Array.from(document.querySelectorAll('h1, h2, h3'), h => h.tagName)")[:3] == ["H1", "H2", "H2"]


def test_focus_order_and_visible_focus(view, kyiv):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    view.open(kyiv)
    order = []
    for _ in range(40):
        ActionChains(view.driver).send_keys(Keys.TAB).perform()
        order.append(view.js("""const e = document.activeElement, s = getComputedStyle(e);
            return {id: e.id, cls: e.className && e.className.baseVal === undefined ? e.className : '', tag: e.tagName,
                    text: e.textContent.slice(0, 30), outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2}"""))
    assert order[0]["text"] == "Skip to the findings" and order[1]["text"] == "Skip to the sources"
    position = {key: next(n for n, e in enumerate(order) if match(e)) for key, match in {
        "search": lambda e: e["id"] == "search", "source": lambda e: e["id"] == "source-filter",
        "verdicts": lambda e: e["id"].startswith("verdict-"), "finding": lambda e: e["cls"] == "finding-head"}.items()}
    assert position["search"] < position["source"] < position["verdicts"] < position["finding"]
    assert all(e["outline"] for e in order), [e for e in order if not e["outline"]]
    # arrow keys move through the findings; Enter selects one
    view.driver.find_element("css selector", "#finding-0 .finding-head").send_keys(Keys.ARROW_DOWN)
    assert view.js("return document.activeElement.closest('li').id") == "finding-1"
    ActionChains(view.driver).send_keys(Keys.ENTER).perform()
    assert view.js("return document.querySelector('li.finding.selected').id") == "finding-1"
    # a highlighted sentence is reachable and opens with Enter; Escape closes and gives focus back
    mark = view.driver.find_element("css selector", "mark.ev[tabindex='0']")
    view.js("arguments[0].focus()", mark)
    ActionChains(view.driver).send_keys(Keys.ENTER).perform()
    assert view.js("return document.activeElement.closest('.popover') !== null")
    ActionChains(view.driver).send_keys(Keys.ESCAPE).perform()
    assert view.js("return document.querySelectorAll('.popover').length") == 0
    assert view.js("return document.activeElement") == mark


def _luminance(rgb: str) -> float:
    channels = [int(x) / 255 for x in rgb[rgb.index("(") + 1:rgb.index(")")].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_verdict_colours_keep_contrast_and_come_with_a_word_and_an_icon(view, tmp_path):
    page = write_page(tmp_path, "check.html", "check", str(FIXTURES / "drafts" / "kyiv-drones-wrong.md"),
                      "--against", str(FIXTURES / "kyiv-drones"))
    for path in (page, write_page(tmp_path, "compare.html", "compare", str(FIXTURES / "kyiv-drones"))):
        view.open(path)
        badges = view.js("""return Array.from(document.querySelectorAll('#counts .badge'), b => {
            const s = getComputedStyle(b);
            return {color: s.color, background: s.backgroundColor, icons: b.querySelectorAll('svg').length,
                    text: b.textContent}})""")
        assert len(badges) >= 4
        for badge in badges:
            assert contrast(badge["color"], badge["background"]) >= 4.5, badge
            assert contrast(badge["color"], "rgb(255, 255, 255)") >= 4.5, badge
            assert badge["icons"] == 1 and any(ch.isalpha() for ch in badge["text"])
        marks = view.js("""return Array.from(document.querySelectorAll('mark.ev'), m => {
            const s = getComputedStyle(m); return [s.color, s.backgroundColor]})""")
        assert marks and all(contrast(color, background) >= 4.5 for color, background in marks)


# --- layout, print, screenshots ---------------------------------------------------------------------

def test_layout_at_1280_and_390_px_with_screenshots(view, kyiv, artefacts):
    view.open(kyiv)
    view.driver.find_element("css selector", ".finding-head").click()
    tops = view.js("return Array.from(document.querySelectorAll('.column'), c => c.getBoundingClientRect().top)")
    assert len(set(tops)) == 1  # side by side
    assert view.js("return document.documentElement.scrollWidth") <= 1280
    view.driver.save_screenshot(str(artefacts / "kyiv-1280.png"))
    view.resize(390, 844)
    view.open(kyiv)
    view.driver.find_element("css selector", ".finding-head").click()
    boxes = view.js("return Array.from(document.querySelectorAll('.column'), c => c.getBoundingClientRect())"
                    ".map(r => [r.top, r.bottom, r.width])")
    assert all(later[0] >= earlier[1] for earlier, later in zip(boxes, boxes[1:]))  # stacked
    assert all(width <= 390 for *_, width in boxes)
    assert view.js("return document.documentElement.scrollWidth") <= 390  # nothing runs off the side
    view.driver.save_screenshot(str(artefacts / "kyiv-390.png"))
    assert (artefacts / "kyiv-1280.png").stat().st_size > 0 and (artefacts / "kyiv-390.png").stat().st_size > 0


def test_print_shows_everything_without_controls(view, kyiv):
    view.open(kyiv)
    view.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    view.js("window.dispatchEvent(new Event('beforeprint'))")
    assert view.js("return getComputedStyle(document.getElementById('filters')).display") == "none"
    assert view.js("return Array.from(document.querySelectorAll('.column-body'))"
                   ".every(b => getComputedStyle(b).overflowY === 'visible' && !b.classList.contains('pending'))")
    assert view.js("return document.getElementById('sources-box').open")
    pdf = view.driver.execute_cdp_cmd("Page.printToPDF", {"printBackground": True})
    assert len(pdf["data"]) > 1000


# --- check, the seeds, a large case -------------------------------------------------------------------

def test_check_page_has_the_draft_as_its_first_column(view, tmp_path):
    page = write_page(tmp_path, "check.html", "check", str(FIXTURES / "drafts" / "kyiv-drones-wrong.md"),
                      "--against", str(FIXTURES / "kyiv-drones"))
    view.open(page)
    first = view.driver.find_element("css selector", ".column")
    assert "draft" in first.get_attribute("class") and first.get_attribute("id") == "source-0"
    view.driver.find_element("css selector", ".finding-head").click()
    assert view.driver.find_elements("css selector", "#source-0 mark.ev.current")
    assert "error" in view.driver.find_element("css selector", ".finding .severity").text.lower()


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"{SEEDS} (the shared real articles) is not beside the repository")
def test_the_seed_articles_show_their_casualty_and_attribution_contradictions(view, tmp_path):
    seeds = sorted(str(p) for p in SEEDS.glob("*.txt"))
    page = write_page(tmp_path, "seeds.html", "compare", *seeds)
    view.open(page)
    data = view.js("return JSON.parse(document.getElementById('report-data').textContent)")
    assert len(data["sources"]) == len(seeds) == 2
    contradictions = {f["kind"]: i for i, f in enumerate(data["findings"]) if f["verdict"] == "contradiction"}
    casualty = next(i for i, f in enumerate(data["findings"]) if f["verdict"] == "contradiction"
                    and "death toll" in f["topic"])
    assert "denial" in contradictions  # who was behind it: stated by one, denied in the other
    for i in (casualty, contradictions["denial"]):
        view.driver.find_element("css selector", f"#finding-{i} .finding-head").click()
        for s in (0, 1):
            marks = view.driver.find_elements("css selector", f"#source-{s} mark.ev.current.v-contradiction")
            assert marks, (data["findings"][i]["topic"], s)
            assert visible_in_column(view, marks[0])
    assert view.requests() == [page.resolve().as_uri()]


def large_report(n: int = 100) -> tuple[Report, dict[str, str]]:
    """n sources that each tell a toll, one contradiction across all of them: a hand-built large case."""
    texts, claims, summaries = {}, [], []
    for k in range(n):
        sid = f"s{k:03d}"
        filler = "".join(f"Background paragraph {p} of source {k} says nothing checkable.\n\n" for p in range(40))
        sentence = f"Officials said {k + 3} people died in the flood."
        texts[sid] = filler + sentence + "\n"
        start = len(filler)
        s = Sentence(source_id=sid, index=40, start=start, end=start + len(sentence), line=81, column=1, text=sentence)
        claims.append(Claim(id=f"{sid}:40", source_id=sid, sentence=s, norm=sentence, words=(), names=(),
                            quantities=(), polarity="affirmed", modality="asserted", speaker="Officials"))
        summaries.append(SourceSummary(id=sid, name=f"Outlet {k}", path=None, sentences=41, claims=1))
    toll = Finding(id="c-large", verdict="contradiction", kind="numeric", topic="death toll",
                   summary="death toll: the sources disagree", confidence=0.8, claims=tuple(claims),
                   values=tuple((c.id, str(k + 3)) for k, c in enumerate(claims)), conflicts=((0, n - 1),))
    uniques = tuple(Finding(id=f"u-{k}", verdict="unique", kind=None, topic=f"toll {k}", summary="only one",
                            confidence=0.5, claims=(c,)) for k, c in enumerate(claims))
    return Report(sources=tuple(summaries), findings=(toll, *uniques)), texts


def test_a_hundred_sources_render_lazily_and_every_column_can_be_reached(view, tmp_path):
    report, texts = large_report()
    page = tmp_path / "large.html"
    page.write_text(render(report, "html", texts=texts), encoding="utf-8")
    view.open(page)
    view.driver.find_element("css selector", "#finding-0 .finding-head").click()
    last = view.driver.find_element("css selector", "#source-99 mark.ev.current")
    assert view.js("return arguments[0].closest('.column-body').scrollTop", last) > 0
    assert view.js("return document.querySelectorAll('#finding-0 .value:not([hidden])').length") == 12
    view.driver.find_element("css selector", "#finding-0 .more").click()
    assert view.js("return document.querySelectorAll('#finding-0 .value:not([hidden])').length") == 100
    # the rest of the list and of the columns is built in slices meanwhile
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(view.driver, 10).until(lambda d: d.execute_script(
        "return document.querySelectorAll('#findings-list > li').length === 101"
        " && document.querySelectorAll('.column-body.pending').length === 0"))


# --- CI cannot pass without the browser -------------------------------------------------------------

def test_without_a_browser_the_tests_skip_locally_and_fail_when_required(monkeypatch):
    monkeypatch.setattr(chromium, "CHROMIUM", "/nonexistent/chromium")
    monkeypatch.delenv("RECONCILE_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no headless browser: /nonexistent/chromium is not installed"):
        launch()
    monkeypatch.setenv("RECONCILE_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="RECONCILE_REQUIRE_BROWSER=1 but the browser cannot run"):
        launch()


def test_ci_requires_the_browser_and_installs_it():
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "export RECONCILE_REQUIRE_BROWSER=1" in script
    assert "apt-get install -y -qq chromium chromium-driver" in script
