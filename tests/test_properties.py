"""Properties that hold for any input (hypothesis): nothing but InputError is ever raised; every
claim points at its own text; reports do not depend on source order or on the run."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import reconcile
from reconcile.claims.text import normalise
from reconcile.errors import InputError
from reconcile.ingest import decode, front_matter, load_sources, text_source
from reconcile.pipeline import claims_of, compare_sources
from reconcile.report import render

REPO = Path(__file__).resolve().parent.parent

WORDS = ["Flood", "water", "reached", "the", "mill", "in", "Brackenford", "on", "Tuesday", "said", "police",
         "about", "40", "homes", "were", "evacuated", "at least", "two", "people", "killed", "injured", "denied",
         "reportedly", "Mara Jensen", "Mr.", "U.S.", "£5m", "3.5", "1,200", "per cent", "rose to", "not", "\u201c",
         "\u201d", "\"", "'", "\u2019", "(", ")", "\u2014", "-", ",", ".", "!", "?", ":", ";", "...", "\u2026",
         "\n", "\n\n", "\r\n", "\r", "\t", "\u00a0", "\ufb01re", "#", "##", "---", "Photo:", "Read more", "By",
         "KYIV,", "(Reuters)", "\u0434\u043e\u043c", "\u6d2a\u6c34", "\u0645\u0646\u0632\u0644", "\U0001f30a"]

news_like = st.lists(st.sampled_from(WORDS), max_size=80).map(" ".join)
texts = st.one_of(st.text(max_size=400), news_like, st.tuples(news_like, st.text(max_size=60), news_like).map("".join))
SETTINGS = dict(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow])


def _sources(*items):
    out = []
    for n, text in enumerate(items, start=1):
        try:
            out.append(text_source(text, f"s{n}"))
        except InputError:
            pass
    return tuple(out)


@settings(**SETTINGS)
@given(texts, texts)
def test_arbitrary_text_never_raises(a, b):
    sources = _sources(a, b)
    assume(len(sources) == 2)
    report = compare_sources(sources)
    for fmt in ("json", "yaml", "markdown", "csv", "table"):
        render(report, fmt)


@settings(**SETTINGS)
@given(st.binary(max_size=600))
def test_arbitrary_bytes_decode_or_raise_input_error(data):
    try:
        text = decode(data, "f")
    except InputError:
        return
    body, _ = front_matter(text, "f")
    assert len(body) == len(text)


@settings(**SETTINGS)
@given(st.binary(max_size=400), st.sampled_from(["a.txt", "a.md", "a.html", "a.json", "a.jsonl", "case.yaml", "a"]))
def test_arbitrary_files_load_or_raise_input_error(tmp_path_factory, data, name):
    path = tmp_path_factory.mktemp("f") / name
    path.write_bytes(data)
    try:
        load_sources([str(path)])
    except InputError:
        pass


@settings(**SETTINGS)
@given(texts, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"]))
def test_decoding_recovers_the_text(text, encoding):
    assume(not text.startswith("\ufeff") and text.strip())
    try:
        decoded = decode(text.encode(encoding, "surrogatepass"), "f")
    except (InputError, UnicodeEncodeError):
        return
    assert decoded == text


@settings(**SETTINGS)
@given(texts)
def test_every_claim_points_at_its_own_text(text):
    (source,) = _sources(text) or (None,)
    assume(source is not None)
    for claim in claims_of(source):
        s = claim.sentence
        assert source.text[s.start:s.end] == s.text
        assert claim.norm == normalise(source.text[s.start:s.end])
        lines_before = source.text[:s.start].replace("\r\n", "\n").replace("\r", "\n")
        assert s.line == lines_before.count("\n") + 1
        assert s.column == len(lines_before) - (lines_before.rfind("\n") + 1) + 1
        for q in claim.quantities:
            assert source.text[q.start:q.end] == q.text


@settings(**SETTINGS)
@given(st.lists(texts, min_size=2, max_size=4), st.randoms(use_true_random=False))
def test_reports_do_not_depend_on_source_order(items, rng):
    sources = list(_sources(*items))
    assume(len(sources) >= 2)
    first = compare_sources(tuple(sources)).to_dict(explain=True)
    rng.shuffle(sources)
    assert compare_sources(tuple(sources)).to_dict(explain=True) == first


@settings(**SETTINGS)
@given(st.lists(texts, min_size=2, max_size=3))
def test_running_twice_gives_identical_json(items):
    sources = _sources(*items)
    assume(len(sources) >= 2)
    assert render(compare_sources(sources), "json") == render(compare_sources(sources), "json")


@pytest.mark.parametrize("event", ["kyiv-drones", "coastal-storm", "refinery-fire"])
def test_cli_json_is_byte_identical_across_runs_and_hash_seeds(tmp_path, event):
    """Separate interpreters with different hash seeds: set and dict order must not leak into the report."""
    folder = REPO / "fixtures" / event
    files = sorted(str(p) for p in folder.iterdir())
    outputs = []
    for seed, order in (("1", files), ("2", files[::-1]), ("3", [str(folder)])):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        out = subprocess.run([sys.executable, "-m", "reconcile", "compare", *order, "-f", "json", "--explain"],
                             capture_output=True, env=env, cwd=tmp_path, check=True)
        outputs.append(out.stdout)
    assert outputs[0] == outputs[1] == outputs[2]
    assert json.loads(outputs[0])["schema"] == "reconcile.report/2"


def test_input_order_on_the_command_line_does_not_matter(tmp_path):
    folder = REPO / "fixtures" / "coastal-storm"
    files = sorted(str(p) for p in folder.iterdir())
    assert reconcile.compare(files).to_dict() == reconcile.compare(files[::-1]).to_dict()
