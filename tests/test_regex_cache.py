"""The on-disk cache of compiled patterns: faster runs, never different ones."""
import re

import pytest

from reconcile.regex_cache import compile_cached

# Long enough to be cached, with named groups and a conditional, as the figure scanner has.
PATTERN = r"(?P<num>\d+)(?:\s*(?P<unit>km|miles))?(?(unit)!|\.)|" + "|".join(f"word{n}" for n in range(400))
TEXTS = ["12 km!", "7.", "word399 and word17", "nothing", "3 miles!"]


def _matches(pattern):
    return [[(m.start(), m.end(), m.lastgroup, m.groupdict()) for m in pattern.finditer(t)] for t in TEXTS]


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("RECONCILE_CACHE_DIR", str(tmp_path))
    return tmp_path


def test_a_cached_pattern_matches_as_re_compile_does(cache):
    fresh = compile_cached(PATTERN, re.X)
    assert list(cache.glob("regex-*.json"))
    reloaded = compile_cached(PATTERN, re.X)
    expected = _matches(re.compile(PATTERN, re.X))
    assert _matches(fresh) == expected and _matches(reloaded) == expected
    assert reloaded.groupindex == re.compile(PATTERN, re.X).groupindex and reloaded.flags == re.compile(PATTERN, re.X).flags


def test_a_damaged_entry_falls_back_to_compiling(cache):
    compile_cached(PATTERN)
    for entry in cache.glob("regex-*.json"):
        entry.write_text('["not it", 0, [1, 2, 3], 0, {}, []]', encoding="utf-8")
    assert _matches(compile_cached(PATTERN)) == _matches(re.compile(PATTERN))
    for entry in cache.glob("regex-*.json"):
        entry.write_bytes(b"\\x00garbage")
    assert _matches(compile_cached(PATTERN)) == _matches(re.compile(PATTERN))


def test_a_tampered_code_list_is_refused_by_the_engine(cache):
    compile_cached(PATTERN)
    entry = next(cache.glob("regex-*.json"))
    text = entry.read_text(encoding="utf-8")
    entry.write_text(text.replace("[", "[99999, ", 2).replace("[99999, ", "[", 1), encoding="utf-8")
    assert _matches(compile_cached(PATTERN)) == _matches(re.compile(PATTERN))


def test_caching_can_be_turned_off_or_fail_to_write(tmp_path, monkeypatch):
    monkeypatch.setenv("RECONCILE_CACHE_DIR", "off")
    assert _matches(compile_cached(PATTERN)) == _matches(re.compile(PATTERN))
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("RECONCILE_CACHE_DIR", str(blocked / "cache"))
    assert _matches(compile_cached(PATTERN)) == _matches(re.compile(PATTERN))
    assert blocked.read_text(encoding="utf-8") == "not a folder"


def test_needles_read_back_from_the_cache_are_the_ones_derived(cache):
    from reconcile.needles import needles, needles_of

    patterns = [re.compile(r"\b(?:denied|rejected)\s+(?:the\s+)?claims?\b"), re.compile(r"(?i)unclear whether"),
                re.compile(r"\d*")]
    expected = [needles(p) for p in patterns]
    assert needles_of(patterns) == expected  # derived, then stored
    assert list(cache.glob("needles-*.json"))
    assert needles_of(patterns) == expected  # read back
    assert expected[0] and expected[1] and expected[2] is None
    assert needles_of([re.compile(rb"bytes")]) == [needles(re.compile(rb"bytes"))]  # not cached, not lost


def test_a_damaged_needles_entry_is_derived_again(cache):
    from reconcile.needles import needles, needles_of

    patterns = [re.compile(r"\bsaid\b")]
    needles_of(patterns)
    for entry in cache.glob("needles-*.json"):
        entry.write_text('["another key", [[["x", false]]]]', encoding="utf-8")
    assert needles_of(patterns) == [needles(patterns[0])]


def test_needles_are_derived_without_the_cache_where_the_module_source_cannot_be_read(cache, monkeypatch):
    from reconcile import needles as module

    monkeypatch.setattr(module, "_source_digest", lambda: None)
    patterns = [re.compile(r"\bsaid\b")]
    assert module.needles_of(patterns) == [module.needles(patterns[0])]
    assert not list(cache.glob("needles-*.json"))
