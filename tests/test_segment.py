"""segment: sentences, their offsets, lines and columns; and clean+segment on the seed articles.

All article text written here is made up for the tests; the seed files are read at test time.
"""
from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconcile.clean import clean
from reconcile.support.lexicon import DEFAULT
from reconcile.models import Block, CleanedSource, Sentence, Source
from reconcile.segment import line_starts, segment

SEEDS = Path("/work/shared/seeds")


def source(text: str) -> Source:
    return Source(id="s1", name="s1", path=None, text=text)


def one_block(text: str, kind: str = "body") -> CleanedSource:
    return CleanedSource(source=source(text), blocks=(Block(0, len(text), kind),) if text else ())


def split(text: str, lexicon=DEFAULT) -> list[str]:
    return [s.text for s in segment(one_block(text), lexicon)]


def check_sentences(cleaned: CleanedSource, sentences: tuple[Sentence, ...]) -> None:
    text = cleaned.source.text
    starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    for i, s in enumerate(sentences):
        assert s.index == i
        assert s.source_id == cleaned.source.id
        assert s.text == text[s.start : s.end]
        assert s.text and s.text == s.text.strip()
        assert any(c.isalnum() for c in s.text)
        # inside exactly one block, with that block's kind
        holders = [b for b in cleaned.blocks if b.start <= s.start and s.end <= b.end]
        assert len(holders) == 1
        assert s.headline == (holders[0].kind == "headline")
        line = max(n for n, st_ in enumerate(starts) if st_ <= s.start)
        assert s.line == line + 1
        assert s.column == s.start - starts[line] + 1
    for a, b in zip(sentences, sentences[1:]):
        assert a.end <= b.start


# --------------------------------------------------------------------------------------------
# Splitting rules

CASES = [
    # plain
    ("The river rose. Roads closed. Schools shut.", ["The river rose.", "Roads closed.", "Schools shut."]),
    ("Did it hold? Nobody knows! Not yet.", ["Did it hold?", "Nobody knows!", "Not yet."]),
    ("Really?! Yes.", ["Really?!", "Yes."]),
    # titles: never split
    ("Mr. Silva and Mrs. Costa met Dr. Reis.", ["Mr. Silva and Mrs. Costa met Dr. Reis."]),
    ("Ms. Lee spoke. Prof. Ito replied.", ["Ms. Lee spoke.", "Prof. Ito replied."]),
    ("Gen. Pardo, Gov. Lima, Sen. Moss and Rep. Hale attended.", ["Gen. Pardo, Gov. Lima, Sen. Moss and Rep. Hale attended."]),
    ("The talks were held at St. Mary's hall.", ["The talks were held at St. Mary's hall."]),
    ("Team A vs. Team B ended 2-1.", ["Team A vs. Team B ended 2-1."]),
    ("He lives on Main St. The house is old.", ["He lives on Main St.", "The house is old."]),
    # months
    ("It opened on Jan. 5 and closed on Feb. 9.", ["It opened on Jan. 5 and closed on Feb. 9."]),
    ("The vote is set for Sept. 30 and Oct. 2.", ["The vote is set for Sept. 30 and Oct. 2."]),
    ("It reopens on Nov. 3. The council agreed.", ["It reopens on Nov. 3.", "The council agreed."]),
    ("Work ended in Dec. The site is quiet.", ["Work ended in Dec.", "The site is quiet."]),
    # country abbreviations
    ("The U.S. Senate voted. The U.K. did not.", ["The U.S. Senate voted.", "The U.K. did not."]),
    ("Envoys from the U.N. and the E.U. met.", ["Envoys from the U.N. and the E.U. met."]),
    ("She moved to the U.S. Her family stayed.", ["She moved to the U.S.", "Her family stayed."]),
    ("U.S. officials said little.", ["U.S. officials said little."]),
    # companies and numbers
    ("Acme Inc. said profit rose. Beta Ltd. and Gamma Co. did not.", ["Acme Inc. said profit rose.", "Beta Ltd. and Gamma Co. did not."]),
    ("He works for Acme Corp. The firm is large.", ["He works for Acme Corp.", "The firm is large."]),
    ("Route No. 5 is closed.", ["Route No. 5 is closed."]),
    ("Apples, pears, etc. were sold. Prices rose.", ["Apples, pears, etc. were sold.", "Prices rose."]),
    # times
    ("It started at 10 a.m. and ended at 4 p.m. on Friday.", ["It started at 10 a.m. and ended at 4 p.m. on Friday."]),
    ("The meeting began at 9 a.m. It ran late.", ["The meeting began at 9 a.m.", "It ran late."]),
    # initials
    ("J. Silva and A. B. Costa signed.", ["J. Silva and A. B. Costa signed."]),
    ("The report by J. R. Moss was read.", ["The report by J. R. Moss was read."]),
    # decimals and currency
    ("Growth was 3.5 percent. It was 2.1 percent before.", ["Growth was 3.5 percent.", "It was 2.1 percent before."]),
    ("The deal is worth $1.5m. Shares rose.", ["The deal is worth $1.5m.", "Shares rose."]),
    ("It cost €2.75bn. Critics objected.", ["It cost €2.75bn.", "Critics objected."]),
    ("Version 2.0.1 shipped.", ["Version 2.0.1 shipped."]),
    # ellipses
    ("He paused... then went on.", ["He paused... then went on."]),
    ("It ended... The next day was calm.", ["It ended...", "The next day was calm."]),
    ("It ended… The next day was calm.", ["It ended…", "The next day was calm."]),
    # quotes and brackets at sentence ends
    ('He said "it is over." Then he left.', ['He said "it is over."', "Then he left."]),
    ("He said “it is over.” Then he left.", ["He said “it is over.”", "Then he left."]),
    ("She wrote 'we are safe.' Nobody replied.", ["She wrote 'we are safe.'", "Nobody replied."]),
    ("(It was late.) Then we ate.", ["(It was late.)", "Then we ate."]),
    ("The bridge [closed in May.] Then it reopened.", ["The bridge [closed in May.]", "Then it reopened."]),
    ('"Are you sure?" he asked.', ['"Are you sure?" he asked.']),
    ('"Go!" she shouted. They ran.', ['"Go!" she shouted.', "They ran."]),
    ('He moved to the U.S. "It was hard," he said.', ["He moved to the U.S.", '"It was hard," he said.']),
    # sentences that start with a digit or a quote
    ("The storm passed. 12 homes were damaged.", ["The storm passed.", "12 homes were damaged."]),
    ('The storm passed. "We were lucky," she said.', ["The storm passed.", '"We were lucky," she said.']),
    ("The storm passed. (Nobody was hurt.)", ["The storm passed.", "(Nobody was hurt.)"]),
    ("The storm passed. ‘We were lucky,’ she said.", ["The storm passed.", "‘We were lucky,’ she said."]),
    ("1. Keep away from the river.", ["1. Keep away from the river."]),
    # no split without whitespace, or before lowercase
    ("See example.com for details.", ["See example.com for details."]),
    ("It was over. then it began again.", ["It was over. then it began again."]),
    # a newline inside a hard-wrapped block is whitespace
    ("The council voted on a\nnew plan. Work\nstarts soon.", ["The council voted on a\nnew plan.", "Work\nstarts soon."]),
    # no final punctuation
    ("Storm floods harbour town", ["Storm floods harbour town"]),
    # pure punctuation is not a sentence
    ("...", []),
    ("— * —", []),
    # full-width terminals
    ("雨が降った。道は閉鎖された。", ["雨が降った。", "道は閉鎖された。"]),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_split(text, expected):
    assert split(text) == expected
    cleaned = one_block(text)
    check_sentences(cleaned, segment(cleaned))


def test_never_across_blocks():
    text = "The river rose and\n\nroads closed. Schools shut."
    cleaned = CleanedSource(source(text), (Block(0, 18), Block(20, 33), Block(34, 47)))
    assert [s.text for s in segment(cleaned)] == ["The river rose and", "roads closed.", "Schools shut."]


def test_headline_flag_and_index():
    text = "Storm floods harbour town\nRoads closed. Schools shut."
    cleaned = CleanedSource(source(text), (Block(0, 25, "headline"), Block(26, len(text))))
    sents = segment(cleaned)
    assert [(s.index, s.headline, s.text) for s in sents] == [
        (0, True, "Storm floods harbour town"),
        (1, False, "Roads closed."),
        (2, False, "Schools shut."),
    ]


def test_lexicon_extension_adds_an_abbreviation():
    text = "Approx. Ten people came."
    assert split(text) == ["Approx.", "Ten people came."]
    lex = DEFAULT.extended({"segment": {"never_split_after": ["Approx."]}})
    assert split(text, lex) == ["Approx. Ten people came."]


# --------------------------------------------------------------------------------------------
# Offsets, lines and columns


@pytest.mark.parametrize("nl", ["\n", "\r\n", "\r"])
def test_offsets_lines_columns(nl):
    text = f"Storm floods harbour town{nl}{nl}  The river rose. Roads closed.{nl}Schools shut.{nl}"
    cleaned = clean(source(text))
    sents = segment(cleaned)
    check_sentences(cleaned, sents)
    assert [(s.text, s.line, s.column, s.headline) for s in sents] == [
        ("Storm floods harbour town", 1, 1, True),
        ("The river rose.", 3, 3, False),
        ("Roads closed.", 3, 19, False),
        ("Schools shut.", 4, 1, False),
    ]
    for s in sents:
        assert "\r" not in s.text and "\n" not in s.text


def test_crlf_hard_wrapped_sentence_keeps_its_start_line():
    text = "Title line here\r\n\r\nThe council voted on a new\r\nplan today. It passed.\r\n"
    cleaned = clean(source(text))
    sents = segment(cleaned)
    check_sentences(cleaned, sents)
    assert [(s.text, s.line, s.column) for s in sents] == [
        ("Title line here", 1, 1),
        ("The council voted on a new\r\nplan today.", 3, 1),
        ("It passed.", 4, 13),
    ]


def test_columns_count_characters_not_bytes():
    text = "Ação começou. Então acabou."
    sents = segment(one_block(text))
    assert [(s.text, s.column) for s in sents] == [("Ação começou.", 1), ("Então acabou.", 15)]


def test_line_starts():
    assert line_starts("a\r\nb\rc\nd") == [0, 3, 5, 7]
    assert line_starts("") == [0]


# --------------------------------------------------------------------------------------------
# Bounded sentences, linear time


def test_run_on_text_is_capped_at_whitespace():
    text = "word " * 3000
    sents = segment(one_block(text.strip()))
    assert len(sents) >= 7
    assert all(len(s.text) <= 2000 for s in sents)
    assert all(s.text.startswith("word") and s.text.endswith("word") for s in sents)
    assert " ".join(s.text for s in sents) == text.strip()


def test_run_on_text_without_whitespace_is_cut_hard():
    text = "x" * 5001
    sents = segment(one_block(text))
    assert [len(s.text) for s in sents] == [2000, 2000, 1001]


MEGA = 1_000_000


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("word " * (MEGA // 5), id="1MB-no-punctuation"),
        pytest.param("x" * MEGA, id="1MB-one-word"),
        pytest.param("." * MEGA, id="1MB-dots"),
        pytest.param("a." * (MEGA // 2), id="dotted-word"),
        pytest.param("A. " * (MEGA // 3), id="initials"),
        pytest.param("Mr. " * (MEGA // 4), id="titles"),
        pytest.param('"' * MEGA, id="quotes"),
        pytest.param(("x" * 1000 + ". ") * (MEGA // 1002), id="long-sentences"),
    ],
)
def test_linear_time(text):
    t0 = time.perf_counter()
    cleaned = clean(source(text))
    sents = segment(cleaned)
    assert time.perf_counter() - t0 < 30
    assert all(len(s.text) <= 2000 for s in sents)


# --------------------------------------------------------------------------------------------
# Properties


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_any_text_segments_and_slices_back(text):
    cleaned = clean(source(text))
    check_sentences(cleaned, segment(cleaned))
    whole = one_block(text.strip()) if text.strip() else one_block("")
    check_sentences(whole, segment(whole))


SENTENCEISH = st.lists(
    st.one_of(
        st.text(max_size=12),
        st.sampled_from(
            ["Mr.", "U.S.", "a.m.", "3.5", "$1.5m.", "...", "…", '"', "“", "”", "(", ")", ".", "?", "!",
             " ", "\n", "\r\n", "The", "he", "J.", "No.", "Jan.", "。"]
        ),
    ),
    max_size=40,
).map(" ".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SENTENCEISH)
def test_sentence_like_text_slices_back(text):
    whole = one_block(text)
    check_sentences(whole, segment(whole))
    cleaned = clean(source(text))
    check_sentences(cleaned, segment(cleaned))


# --------------------------------------------------------------------------------------------
# The seed articles (read at test time; their text is not copied here)


def _seed_files():
    if not SEEDS.is_dir():
        return []
    return sorted(SEEDS.glob("*.txt"))


def _mostly_caps(line: str) -> bool:
    words = [w for w in line.split() if any(c.isalpha() for c in w)]
    return len(words) >= 3 and sum(w.upper() == w for w in words) >= 0.8 * len(words)


@pytest.mark.parametrize("path", _seed_files() or [pytest.param(None, marks=pytest.mark.skip(reason="no seeds"))])
def test_seed_article(path: Path):
    if path is None or not path.exists():
        pytest.skip("seed file missing")
    text = path.read_text(encoding="utf-8")
    cleaned = clean(Source(id=path.stem, name=path.name, path=str(path), text=text))
    sents = segment(cleaned)
    check_sentences(cleaned, sents)
    assert len(sents) >= 5

    lines = [ln.strip() for ln in text.splitlines()]
    teasers = [ln for ln in lines if _mostly_caps(ln)]
    captions = [
        ln
        for ln in lines[2:]
        if len(ln.split()) >= 6 and not re.search(r"[.!?…][\"'”’)\]]*$", ln) and not _mostly_caps(ln)
    ]
    for s in sents:
        assert "{{" not in s.text and "}}" not in s.text
        assert "CLICK HERE" not in s.text.upper()
        assert "contributed to this report" not in s.text
        assert s.text.strip() not in ("Reuters", "AP", "AFP", "The Associated Press")
        assert not any(t in s.text for t in teasers), s.text
        assert not any(c in s.text for c in captions), s.text
        if not s.headline:
            # every kept body sentence of the seeds ends like a sentence
            assert re.search(r"[.!?…][\"'”’)\]]*$", s.text), s.text

    # the first line of the file is where the first sentence starts; if it has no final
    # punctuation it is the headline
    first = sents[0]
    assert first.line == 1 and first.column == 1
    first_line = lines[0]
    if not re.search(r"[.!?…][\"'”’)\]]*$", first_line):
        assert first.headline and first.text == first_line
    else:
        assert not first.headline
