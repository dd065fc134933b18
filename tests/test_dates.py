"""Publication dates: read strictly wherever they are given, refused with the place they came from,
and written in one form, UTC with its Z."""
import datetime
import json

import pytest
from click.testing import CliRunner

from reconcile.cli import main
from reconcile.ingest.dates import DateError, normalise_date

from conftest import FIXTURES

KYIV = FIXTURES / "kyiv-drones"
A = "Flood water reached the old mill on Tuesday, the fire service said.\nAbout 40 homes were evacuated.\n"
B = "Flood water reached the old mill on Tuesday, officials said.\nAbout 45 homes were evacuated.\n"


def run(*args):
    return CliRunner().invoke(main, [*map(str, args)])


def one_line_error(result, *words):
    assert result.exit_code == 2, result.output
    assert result.stdout == "" and "Traceback" not in result.output
    assert len(result.stderr.splitlines()) == 1, result.stderr
    for word in words:
        assert word in result.stderr, result.stderr
    return result.stderr


@pytest.mark.parametrize("given,written", [
    ("2022-10-17", "2022-10-17T00:00:00Z"),
    ("2022-10-17T08:00Z", "2022-10-17T08:00:00Z"),
    ("2022-10-17T08:00:00+03:00", "2022-10-17T05:00:00Z"),
    ("2022-10-17 08:00", "2022-10-17T08:00:00Z"),
    ("20221017T080000Z", "2022-10-17T08:00:00Z"),
    ("Mon, 17 Oct 2022 08:00:00 GMT", "2022-10-17T08:00:00Z"),
    ("Monday 17 October 2022 09.30 BST", "2022-10-17T08:30:00Z"),
    ("Oct. 17, 2022, 8:00 a.m. EDT", "2022-10-17T12:00:00Z"),
    ("17 October 2022", "2022-10-17T00:00:00Z"),
    (datetime.date(2022, 10, 17), "2022-10-17T00:00:00Z"),
    (datetime.datetime(2022, 10, 17, 8, tzinfo=datetime.timezone(datetime.timedelta(hours=3))), "2022-10-17T05:00:00Z"),
])
def test_dates_are_written_in_one_form(given, written):
    assert normalise_date(given, "f") == written


@pytest.mark.parametrize("given", ["yesterday", "not-a-date", "2022-10", "10/11/2022", "17 October", "October 2022",
                                   "2022-13-01", "2022-02-30", "17 October 2022 09:30 XYZ", 2022, "now"])
def test_what_is_not_a_date_is_refused(given):
    with pytest.raises(DateError, match="is not a date"):
        normalise_date(given, "f")


def test_a_bad_date_on_the_command_line_names_it():
    error = one_line_error(run("compare", KYIV, "--dates", "wire=yesterday"), "--dates wire=yesterday", "'yesterday'")
    assert "not a date" in error


def test_a_date_for_an_unknown_source_names_it():
    error = one_line_error(run("compare", KYIV, "--dates", "nosuch=2022-10-18"), "nosuch", "no source has the id")
    assert "broadsheet, cable, wire" in error


def test_check_refuses_them_too():
    draft = FIXTURES / "drafts" / "kyiv-drones-wrong.md"
    one_line_error(run("check", draft, "--against", KYIV, "--dates", "wire=yesterday"), "yesterday")
    one_line_error(run("check", draft, "--against", KYIV, "--dates", "nosuch=2022-10-18"), "nosuch")


def test_batch_refuses_a_bad_date():
    one_line_error(run("batch", KYIV, "--dates", "wire=yesterday"), "--dates wire=yesterday")


@pytest.mark.parametrize("name,content,where", [
    ("a.md", "---\ndate: not-a-date\n---\n" + A, "front matter `date`: 'not-a-date'"),
    ("a.json", json.dumps({"text": A, "date": "last Tuesday"}), "\"date\": 'last Tuesday'"),
])
def test_a_source_date_that_is_not_a_date_names_the_file(tmp_path, name, content, where):
    bad = tmp_path / name
    bad.write_text(content, encoding="utf-8")
    (tmp_path / "b.txt").write_text(B, encoding="utf-8")
    one_line_error(run("compare", bad, tmp_path / "b.txt"), f"{bad}: {where} is not a date")


def test_a_manifest_date_that_is_not_a_date_names_the_line(tmp_path):
    (tmp_path / "a.txt").write_text(A, encoding="utf-8")
    (tmp_path / "b.txt").write_text(B, encoding="utf-8")
    case = tmp_path / "case.yaml"
    case.write_text("sources:\n  - path: a.txt\n  - path: b.txt\n    date: soon\n", encoding="utf-8")
    one_line_error(run("compare", case), f"{case}: line 4: `date`: 'soon' is not a date")


def test_every_date_in_the_report_has_one_form(tmp_path):
    (tmp_path / "a.md").write_text("---\ndate: 2022-10-17 10:00:00+02:00\n---\n" + A, encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps({"text": B, "date": "Mon, 17 Oct 2022 09:00:00 GMT"}), encoding="utf-8")
    (tmp_path / "c.txt").write_text(A, encoding="utf-8")
    result = run("compare", tmp_path, "-f", "json", "--dates", "c=17 October 2022 12:00 CEST")
    assert result.exit_code == 0, result.output
    dates = {s["id"]: s["date"] for s in json.loads(result.stdout)["sources"]}
    assert dates == {"a": "2022-10-17T08:00:00Z", "b": "2022-10-17T09:00:00Z", "c": "2022-10-17T10:00:00Z"}


def test_a_date_out_of_range_in_utc_is_refused():
    one_line_error(run("compare", KYIV, "--dates", "wire=0001-01-01T00:00:00+03:00"), "out of range")


def test_two_dates_for_one_source_are_refused_unless_they_agree():
    one_line_error(run("compare", KYIV, "--dates", "wire=2022-10-17", "--dates", "wire=2022-10-18"),
                   "--dates wire: given twice, as 2022-10-17T00:00:00Z and 2022-10-18T00:00:00Z")
    same = run("compare", KYIV, "-f", "json", "--dates", "wire=2022-10-17", "--dates", "wire=2022-10-17T00:00Z")
    assert same.exit_code == 0, same.output
