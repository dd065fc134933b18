"""The JSON writer (orjson) must write what json.dumps(ensure_ascii=False, indent=2) writes for
the values a report holds, and hand the rest to json.dumps."""
import json
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from reconcile.models import Report
from reconcile.report import render
from reconcile.report.jsontext import dumps

from conftest import sample_report

# What a report holds: str keys, text without lone surrogates, 64-bit integers, finite floats
# that Python writes without an exponent (from 1e16 on, json writes 1e+16 and orjson 1e16: the
# same number, see test_large_and_tiny_floats_are_the_same_numbers).
text = st.text(st.characters(blacklist_categories=("Cs",)))
plain_floats = st.floats(allow_nan=False, allow_infinity=False).filter(lambda x: "e" not in repr(x))
scalars = st.none() | st.booleans() | st.integers(-2**63, 2**63 - 1) | plain_floats | text
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
                      | st.dictionaries(text, inner, max_size=4), max_leaves=30)


@settings(max_examples=300)
@given(values)
def test_the_same_text_as_json_dumps(value):
    assert dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_large_and_tiny_floats_are_the_same_numbers(x):
    assert json.loads(dumps([x])) == [x]


def test_what_orjson_refuses_goes_to_json_dumps():
    for odd in ({1: "int key", "nested": {}}, [2**70], {"lone": "\ud800"}):
        assert dumps(odd) == json.dumps(odd, ensure_ascii=False, indent=2)


def test_non_finite_floats_are_null_not_invalid_json():
    assert json.loads(dumps({"a": [math.inf, -math.inf, math.nan]})) == {"a": [None, None, None]}


def test_the_json_report_is_to_dict_as_json_dumps_writes_it():
    report = sample_report()
    for explain in (False, True):
        assert render(report, "json", explain=explain) == json.dumps(report.to_dict(explain), ensure_ascii=False,
                                                                     indent=2) + "\n"
    assert render(Report(sources=(), findings=()), "json") == json.dumps(Report(sources=(), findings=()).to_dict(),
                                                                         indent=2) + "\n"


def test_a_claim_cited_twice_is_written_in_full_both_times_in_yaml():
    import dataclasses

    base = sample_report()
    report = Report(sources=base.sources, findings=base.findings + (dataclasses.replace(base.findings[0], id="again"),))
    text = render(report, "yaml")
    assert "&id" not in text and "*id" not in text
