"""The report's own JSON writer must write exactly what fastjson.dumps(report.to_dict()) writes."""
from __future__ import annotations

import dataclasses
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconcile.models import Report
from reconcile.report.fastjson import dumps
from reconcile.report.jsonreport import report_json

from conftest import sample_report


def old_way(report: Report, explain: bool) -> str:
    return dumps(report.to_dict(explain))


@pytest.mark.parametrize("explain", [False, True])
def test_the_sample_report_as_to_dict_gives_it(explain):
    report = sample_report()
    assert report_json(report, explain) == old_way(report, explain)


@pytest.mark.parametrize("explain", [False, True])
def test_events_weights_urls_and_no_findings(explain):
    base = sample_report()
    sources = (dataclasses.replace(base.sources[0], url="https://example.org/a", kind="html", weight=2.5),) + base.sources[1:]
    for report in (Report(sources=sources, findings=base.findings, event="kyiv; lviv"),
                   Report(sources=sources, findings=()), Report(sources=(), findings=())):
        assert report_json(report, explain) == old_way(report, explain)


def test_a_claim_cited_twice_is_written_alike_both_times():
    base = sample_report()
    twice = base.findings + (dataclasses.replace(base.findings[0], id="c-again"),)
    report = Report(sources=base.sources, findings=twice)
    assert report_json(report, True) == old_way(report, True)


def test_values_the_templates_do_not_expect_go_the_old_way():
    base = sample_report()

    class Count(int):
        pass

    claim = base.findings[0].claims[0]
    odd = dataclasses.replace(claim, sentence=dataclasses.replace(claim.sentence, line=Count(7)))
    report = Report(sources=base.sources, findings=(dataclasses.replace(base.findings[0], claims=(odd,)),))
    assert report_json(report) == old_way(report, False)


numbers = st.none() | st.floats(allow_nan=True) | st.integers(-10**20, 10**20) | st.just(math.inf)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(), topic=st.text(), speaker=st.none() | st.text(), value=numbers, low=numbers,
       confidence=st.floats(allow_nan=True), score=st.floats(allow_nan=True), rules=st.lists(st.text(), max_size=3))
def test_any_text_and_numbers(text, topic, speaker, value, low, confidence, score, rules):
    base = sample_report()
    first = base.findings[0]
    claim = first.claims[0]
    quantity = dataclasses.replace(claim.quantities[0], value=value, low=low, unit=speaker)
    claim = dataclasses.replace(claim, speaker=speaker, quantities=(quantity, quantity),
                                sentence=dataclasses.replace(claim.sentence, text=text))
    finding = dataclasses.replace(first, topic=topic, confidence=confidence, score=score, rules=tuple(rules),
                                  claims=(claim, first.claims[1]))
    report = Report(sources=base.sources, findings=(finding,) + base.findings[1:], event=topic or None)
    for explain in (False, True):
        assert report_json(report, explain) == old_way(report, explain)


def test_a_report_with_a_to_dict_of_its_own_is_written_from_it():
    class Annotated(Report):
        def to_dict(self, explain: bool = False) -> dict:
            return {**super().to_dict(explain), "note": "more"}

    base = sample_report()
    report = Annotated(sources=base.sources, findings=base.findings)
    assert report_json(report) == old_way(report, False)
