"""The formatters, all tested on the one hand-built Report of conftest.py.

Golden renderings are in tests/golden/formats/; rewrite them after an intended change with
    RECONCILE_UPDATE_GOLDEN=1 python -m pytest -q tests/test_report_formats.py
"""
from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import unicodedata

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconcile.cli import FORMAT_NAMES
from reconcile.models import Report
from reconcile.report import FORMATS, render

from conftest import FIXTURES, GOLDEN, check_golden, page_structure, sample_report

ANSI = re.compile(r"\x1b\[[0-9;]*m")
GOLDEN_NAMES = {"table": "report.table.txt", "json": "report.json", "yaml": "report.yaml",
                "markdown": "report.md", "csv": "report.csv", "html": "report.html-data.json",
                "claimreview": "report.claimreview.json"}


def table(report: Report, **options) -> str:
    return render(report, "table", width=options.pop("width", 100), **options)


def controls(text: str) -> set[str]:
    """Control characters other than the line feed that ends each line."""
    return {ch for ch in text if unicodedata.category(ch) == "Cc" and ch != "\n"}


# --- golden renderings ------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", sorted(GOLDEN_NAMES))
def test_golden_rendering(report, fmt):
    options = {"width": 100} if fmt == "table" else {}
    rendered = render(report, fmt, **options)
    check_golden(GOLDEN / "formats" / GOLDEN_NAMES[fmt], page_structure(rendered) if fmt == "html" else rendered.encode("utf-8"))


@pytest.mark.parametrize("width", [60, 80, 120, 200])
def test_golden_table_at_each_width(report, width):
    """Under 100 columns a block per finding, from 100 on a table; reviewed by eye when they change."""
    check_golden(GOLDEN / "formats" / f"report.table.{width}.txt", table(report, width=width).encode("utf-8"))


def test_every_cli_format_has_a_formatter():
    assert set(FORMAT_NAMES) <= set(FORMATS)
    assert set(GOLDEN_NAMES) == set(FORMAT_NAMES)


# --- the data formats give back exactly the report ---------------------------------------------

@pytest.mark.parametrize("explain", [False, True])
def test_json_is_the_report_contract(report, explain):
    out = render(report, "json", explain=explain)
    assert out.endswith("}\n")
    assert json.loads(out) == report.to_dict(explain)
    assert all(("explain" in f) == explain for f in json.loads(out)["findings"])


def test_json_explain_carries_score_and_rules(report):
    first = json.loads(render(report, "json", explain=True))["findings"][0]
    assert first["explain"] == {"score": 71.5, "rules": ["judge.numeric", "toll.killed"]}


@pytest.mark.parametrize("explain", [False, True])
def test_yaml_loads_back_to_the_report(report, explain):
    assert yaml.safe_load(render(report, "yaml", explain=explain)) == report.to_dict(explain)


def test_csv_has_one_row_per_claim(report):
    rows = list(csv.reader(io.StringIO(render(report, "csv"))))
    assert rows[0] == ["finding", "verdict", "kind", "topic", "summary", "confidence", "source", "line", "column",
                       "text"]
    expected = [[f.id, f.verdict, f.kind or "", f.topic, f.summary, str(f.confidence), c.source_id,
                 str(c.sentence.line), str(c.sentence.column), c.sentence.text]
                for f in report.findings for c in f.claims]
    assert rows[1:] == expected


# --- markdown ----------------------------------------------------------------------------------

def markdown_rows(out: str) -> list[list[str]]:
    """The cells of the findings table, split on unescaped pipes."""
    rows = [line for line in out.split("\n") if line.startswith("| ") and not line.startswith("| verdict |")]
    return [[cell.strip() for cell in re.split(r"(?<!\\)\|", row)[1:-1]] for row in rows]


def unescape(markdown: str) -> str:
    """CommonMark: a backslash before ASCII punctuation stands for that character."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


def test_markdown_has_one_row_of_four_cells_per_finding(report):
    out = render(report, "markdown")
    rows = markdown_rows(out)
    assert len(rows) == len(report.findings)
    assert all(len(row) == 4 for row in rows)
    assert [row[0] for row in rows] == [f.verdict + (f" ({f.kind})" if f.kind else "") for f in report.findings]
    assert [unescape(row[2]) for row in rows] == [f.summary for f in report.findings]


def test_markdown_evidence_keeps_the_sentence_and_its_location(report):
    rows = markdown_rows(render(report, "markdown"))
    for row, finding in zip(rows, report.findings):
        pieces = row[3].split("<br>")
        assert len(pieces) == len(finding.claims)
        for piece, claim in zip(pieces, finding.claims):
            location, _, sentence = piece.partition(" ")
            path = {"stdin": "stdin", "wire": "news/wire.txt", "broadsheet": "news/broadsheet.md"}[claim.source_id]
            assert location == f"`{path}:{claim.sentence.line}:{claim.sentence.column}`"
            shown = re.sub(r"\s", " ", claim.sentence.text.replace("\r\n", "\n")).replace("\x1b", "\ufffd")
            assert unescape(sentence) == shown


def test_markdown_has_no_control_characters(report):
    # a carriage return ends a line in CommonMark and would cut the table row in two
    assert controls(render(report, "markdown")) == set()


def test_markdown_escapes_inline_markup():
    finding = dataclasses.replace(sample_report().findings[0], summary="*bold* _it_ `code` <b>x</b> [link](y) a|b")
    report = dataclasses.replace(sample_report(), findings=(finding,))
    row = markdown_rows(render(report, "markdown"))[0]
    assert unescape(row[2]) == finding.summary
    assert "*bold*" not in row[2] and "`code`" not in row[2] and "<b>" not in row[2]


def test_markdown_ends_with_the_summary_line(report):
    out = render(report, "markdown")
    assert out.endswith("\n1 contradiction, 1 update, 1 difference, 1 agreement, 2 unique across 3 sources\n")


# --- the terminal table ------------------------------------------------------------------------

def test_table_without_colour_has_no_escape_sequences(report):
    assert controls(table(report)) == set()


def test_table_lines_fit_the_width(report):
    from rich.cells import cell_len

    for width in (60, 100, 160):
        assert max(cell_len(line) for line in table(report, width=width).splitlines()) <= width


def test_table_header_names_the_sources(report):
    first = table(report).splitlines()[0]
    assert first == "reconcile: broadsheet (The Evening Ledger), stdin, wire"


def test_table_has_one_row_per_finding_with_its_verdict(report):
    lines = table(report).splitlines()
    # each row starts after a rule (┡ under the header, ├ between rows); its first line has the verdict,
    # its second the kind
    firsts = [lines[n + 1].split("│")[1].strip() for n, line in enumerate(lines) if line.startswith(("┡", "├"))]
    seconds = [lines[n + 2].split("│")[1].strip() for n, line in enumerate(lines) if line.startswith(("┡", "├"))]
    assert firsts == [f.verdict for f in report.findings]
    assert seconds == [f.kind or "" for f in report.findings]


def test_table_ends_with_the_summary_line(report):
    assert table(report).splitlines()[-1] == "1 contradiction, 1 update, 1 difference, 1 agreement, 2 unique"


def test_table_shows_markup_like_text_as_it_is(report):
    # rich would read "[sic]" or "[/]" as markup: drop it, or fail with a MarkupError
    flat = re.sub(r"[\s│]+", " ", table(report, width=400))
    for text in ("a massacre [sic]", "told by broadsheet, wire [/]", "drones [origin]", "soldiers [1/2]"):
        assert text in flat


def test_table_evidence_names_file_and_line(report):
    flat = re.sub(r"[\s│]+", " ", table(report, width=400))
    assert "wire.txt:3 Russian drones killed at least 4 people" in flat
    assert "stdin:2 Seven people died | the mayor" in flat
    assert "broadsheet.md:13 The death toll in Kyiv rose to 5 on Monday evening, city officials said." in flat


@pytest.mark.parametrize("width", [60, 80, 120, 200])
def test_paths_are_relative_to_the_folder_the_files_share(report, width):
    out = table(report, width=width)
    assert out.splitlines()[1] == "files in news/"
    assert "news/wire.txt" not in out and "wire.txt:3" in out


def test_paths_without_a_shared_folder_stay_as_given():
    base = sample_report()
    sources = tuple(dataclasses.replace(s, path="/" + s.path) if s.path else s for s in base.sources)
    sources = (dataclasses.replace(sources[0], path="/elsewhere/broadsheet.md"),) + sources[1:]
    out = table(dataclasses.replace(base, sources=sources), width=200)
    assert "/news/wire.txt:3" in out and "/elsewhere/broadsheet.md:13" in out and "files in" not in out


@pytest.mark.parametrize("width", [60, 80])
def test_under_100_columns_each_finding_is_a_block(report, width):
    lines = table(report, width=width).splitlines()
    assert "┃" not in "".join(lines) and "│" not in "".join(lines)
    rules = [n for n, line in enumerate(lines) if set(line) == {"─"}]
    heads = [lines[n + 1] for n in rules[:-1]]  # the last rule closes the last block
    assert heads == ["contradiction numeric · deaths", "update numeric · deaths", "difference hedge · drones [origin]",
                     "agreement · troops", "unique · arrests", "unique · iran"]
    at = lines.index("  stdin:2")
    assert lines[at + 1].startswith("      Seven people died | the mayor")


@pytest.mark.parametrize("width", [60, 80, 100, 120])
def test_a_line_number_is_never_cut_even_after_a_long_path(width):
    base = sample_report()
    long_name = "a-very-long-file-name-for-the-broadsheet-article-about-the-drone-strikes-on-kyiv.md"
    sources = tuple(dataclasses.replace(s, path=f"news/{long_name}") if s.id == "broadsheet" else s
                    for s in base.sources)
    out = table(dataclasses.replace(base, sources=sources), width=width)
    if width >= 100:  # the evidence column alone, its folded pieces joined up again
        joined = "".join(line.split("│")[-2].strip() for line in out.splitlines() if line.startswith("│"))
    else:
        joined = "".join(line.strip() for line in out.splitlines())
    assert f"{long_name}:13" in joined and f"{long_name}:19" in joined
    assert f"{long_name[:20]}\u2026" not in out


@pytest.mark.parametrize("width", [80, 100, 120])
def test_a_topic_word_is_never_cut(width):
    base = sample_report()
    findings = (dataclasses.replace(base.findings[0], topic="Norhaven cyberattack refinery"),) + base.findings[1:]
    out = table(dataclasses.replace(base, findings=findings), width=width)
    for word in ("Norhaven", "cyberattack", "refinery"):
        assert word in out
    assert "Norha\u2026" not in out and "cyberat\u2026" not in out


def test_table_cuts_long_sentences(report):
    flat = re.sub(r"[\s│]+", " ", table(report, width=400))
    assert "wire.txt:14 Russia's Federal Security Service" in flat
    assert "formally arrested" not in flat and "\u2026" in flat


def test_table_evidence_labels_every_source_without_a_path():
    base = sample_report()
    sources = tuple(dataclasses.replace(s, path=None) for s in base.sources)
    flat = re.sub(r"[\s│]+", " ", table(dataclasses.replace(base, sources=sources), width=400))
    assert "wire:3 Russian drones" in flat and "broadsheet:13 The death toll" in flat


def test_evidence_names_extracted_sources_by_id():
    # lines of an HTML page or a JSONL article count lines of the extracted text, not of the file,
    # and one feed.jsonl can hold several articles
    base = sample_report()
    sources = tuple(dataclasses.replace(s, path="feed.jsonl", kind="json") if s.id != "stdin" else s
                    for s in base.sources)
    report = dataclasses.replace(base, sources=sources)
    flat = re.sub(r"[\s│]+", " ", table(report, width=400))
    assert "wire:3 Russian drones" in flat and "broadsheet:13 The death toll" in flat and "feed.jsonl" not in flat
    assert "`wire:3:22` Russian drones" in render(report, "markdown")


def test_table_colours_verdicts_and_figures(report):
    out = table(report, color=True)
    assert "\x1b[1;31mcontradiction" in out
    assert "\x1b[36munique" in out
    assert "\x1b[1;35mat least 4\x1b[0m" in out  # the figure, highlighted
    assert "\x1b[1;35m8\x1b[0m" not in out  # the figure after the cut is not shown
    assert ANSI.sub("", out) == table(report)
    assert controls(ANSI.sub("", out)) == set()


def test_table_explain_shows_score_and_rules(report):
    flat = re.sub(r"[\s│]+", " ", table(report, explain=True, width=400))
    assert "score 71.5; judge.numeric, toll.killed" in flat


@pytest.mark.parametrize("env", [
    {"FORCE_COLOR": "1"}, {"TTY_COMPATIBLE": "1"}, {"COLUMNS": "50", "LINES": "10"}, {"TERM": "dumb"},
    {"NO_COLOR": "1"}, {"JUPYTER_COLUMNS": "40"},
])
def test_table_does_not_depend_on_the_environment(report, monkeypatch, env):
    expected = table(report)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert table(report) == expected


def test_table_renders_into_the_string_inside_jupyter(report, monkeypatch):
    # in a notebook, rich would display the table itself and leave the string empty
    import rich.console

    expected = table(report)
    monkeypatch.setattr(rich.console, "_is_jupyter", lambda: True)
    assert table(report) == expected


# --- summary lines -----------------------------------------------------------------------------

def test_summary_lines_pluralise_the_verdicts():
    base = sample_report()
    report = dataclasses.replace(base, findings=base.findings + base.findings[:4])
    assert table(report).splitlines()[-1] == "2 contradictions, 2 updates, 2 differences, 2 agreements, 2 unique"
    assert render(report, "markdown").splitlines()[-1] == \
        "2 contradictions, 2 updates, 2 differences, 2 agreements, 2 unique across 3 sources"


def test_an_empty_report_renders_in_every_format():
    report = dataclasses.replace(sample_report(), findings=())
    for fmt in FORMAT_NAMES:
        out = render(report, fmt, width=100)
        assert out.endswith("\n")
    assert table(report).splitlines()[-1] == "0 contradictions, 0 agreements"
    assert json.loads(render(report, "json"))["findings"] == []
    assert list(csv.reader(io.StringIO(render(report, "csv"))))[1:] == []
    assert markdown_rows(render(report, "markdown")) == []


# --- any text at all ---------------------------------------------------------------------------

any_text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sentence=any_text, topic=any_text, summary=any_text, name=any_text)
def test_every_format_survives_any_text(sentence, topic, summary, name):
    base = sample_report()
    first = base.findings[0]
    claim = dataclasses.replace(first.claims[0], quantities=(),
                                sentence=dataclasses.replace(first.claims[0].sentence, text=sentence,
                                                             end=first.claims[0].sentence.start + len(sentence)))
    finding = dataclasses.replace(first, topic=topic, summary=summary, claims=(claim,))
    sources = (dataclasses.replace(base.sources[0], name=name),) + base.sources[1:]
    report = Report(sources=sources, findings=(finding,))

    assert json.loads(render(report, "json")) == report.to_dict()
    assert yaml.safe_load(render(report, "yaml")) == report.to_dict()
    rows = list(csv.reader(io.StringIO(render(report, "csv"), newline="")))
    assert rows[1][3:5] == [topic, summary] and rows[1][-1] == sentence

    md = render(report, "markdown")
    assert controls(md) == set()
    cells = markdown_rows(md)
    assert len(cells) == 1 and len(cells[0]) == 4

    out = table(report)
    assert controls(out) == set()
    assert out.splitlines()[-1].startswith("1 contradiction")


def test_extracted_sources_are_flagged_in_table_and_markdown(report):
    from dataclasses import replace

    from reconcile.report import render

    first = replace(report.sources[0], kind="html")
    page_report = replace(report, sources=(first,) + report.sources[1:])
    for fmt in ("table", "markdown"):
        assert "refer to the text extracted" in render(page_report, fmt, width=100)
        assert "refer to the text extracted" not in render(report, fmt, width=100)


def test_explain_leaves_out_the_score_where_no_alignment_grouped_the_claims(report):
    for fmt in ("json", "yaml"):
        data = (json.loads if fmt == "json" else yaml.safe_load)(render(report, fmt, explain=True))
        explained = {f["id"]: f["explain"] for f in data["findings"]}
        assert explained["c-0a1b2c3d"] == {"score": 71.5, "rules": ["judge.numeric", "toll.killed"]}
        assert explained["u-4e5f6071"] == {"rules": []}  # a claim that aligned with nothing
    flat = re.sub(r"[\s│]+", " ", table(report, explain=True, width=400))
    assert "score 0" not in flat
    assert json.loads(render(report, "json", explain=True)) == report.to_dict(explain=True)


def test_explain_on_the_fixtures_shows_no_score_of_zero():
    from click.testing import CliRunner

    from reconcile.cli import main

    for case in ("kyiv-drones", "refinery-fire", "coastal-storm"):
        result = CliRunner().invoke(main, ["compare", str(FIXTURES / case), "-f", "json", "--explain"])
        findings = json.loads(result.stdout)["findings"]
        assert all(f["explain"].get("score", 1) > 0 for f in findings)
        assert any("score" in f["explain"] for f in findings)
