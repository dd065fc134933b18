"""clean: which stretches of a pasted page are kept, which are furniture, and why.

All article text here is made up for the tests.
"""
from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconcile.clean import clean, ends_sentence
from reconcile.errors import ConfigError
from reconcile.support.lexicon import DEFAULT, Lexicon
from reconcile.models import Block, CleanedSource, Dropped, Source

HEAD = "Storm floods harbour town overnight"
BEFORE = "The river rose two metres overnight, officials said."
AFTER = "Residents were moved to a school gym on Tuesday."


def run(text: str, lexicon: Lexicon = DEFAULT) -> CleanedSource:
    return clean(Source(id="s", name="s", path=None, text=text), lexicon)


def texts(cleaned: CleanedSource, kind: str | None = None) -> list[str]:
    t = cleaned.source.text
    return [t[b.start : b.end] for b in cleaned.blocks if kind is None or b.kind == kind]


def drops(cleaned: CleanedSource) -> list[tuple[str, str]]:
    t = cleaned.source.text
    return [(d.rule, t[d.start : d.end]) for d in cleaned.dropped]


def in_body(line: str) -> CleanedSource:
    """`line` as a body line between two ordinary paragraphs, below a headline."""
    return run(f"{HEAD}\n\n{BEFORE}\n{line}\n{AFTER}\n")


def check_invariants(cleaned: CleanedSource) -> None:
    text = cleaned.source.text
    spans = []
    for b in cleaned.blocks:
        assert isinstance(b, Block)
        assert 0 <= b.start < b.end <= len(text)
        assert b.kind in ("body", "headline")
        piece = text[b.start : b.end]
        assert piece == piece.strip(), repr(piece)
        spans.append((b.start, b.end))
    for d in cleaned.dropped:
        assert isinstance(d, Dropped)
        assert 0 <= d.start < d.end <= len(text)
        assert d.rule.startswith("furniture.")
        spans.append((d.start, d.end))
    assert [b.start for b in cleaned.blocks] == sorted(b.start for b in cleaned.blocks)
    spans.sort()
    for (s1, e1), (s2, e2) in zip(spans, spans[1:]):
        assert e1 <= s2, "kept and dropped stretches overlap"


# --------------------------------------------------------------------------------------------
# Lines that must be dropped, with the rule that drops them.

DROPPED = [
    # template markers
    ("{{#rendered}} {{/rendered}}", "furniture.template"),
    ("{{ widget }}", "furniture.template"),
    ("[[ad-slot-3]]", "furniture.template"),
    ("{% include promo %}", "furniture.template"),
    # teasers of other stories
    ("FLOODWATERS SWEEP AWAY BRIDGE IN NORTHERN VALLEY", "furniture.teaser"),
    ("MINISTER RESIGNS OVER HOUSING SCANDAL: REPORT", "furniture.teaser"),
    ("WATCH: CROWDS GATHER OUTSIDE PARLIAMENT AS VOTE NEARS", "furniture.call-to-action"),
    ("LOCAL TEAM WINS CUP AFTER PENALTY DRAMA", "furniture.teaser"),
    # calls to action
    ("CLICK HERE TO GET THE EXAMPLE NEWS APP", "furniture.call-to-action"),
    ("Click here to read the full statement.", "furniture.call-to-action"),
    ("Click here", "furniture.call-to-action"),
    ("Sign up for our morning briefing", "furniture.call-to-action"),
    ("Subscribe to our newsletter", "furniture.call-to-action"),
    ("Subscribe", "furniture.call-to-action"),
    ("Read more: How the storm season is changing", "furniture.call-to-action"),
    ("Read more", "furniture.call-to-action"),
    ("Follow us on Twitter and Facebook", "furniture.call-to-action"),
    ("Follow Jane Doe on Instagram", "furniture.call-to-action"),
    ("Download the Example News app for breaking alerts", "furniture.call-to-action"),
    ("See also: Ten ways to prepare for a flood", "furniture.call-to-action"),
    ("Also read: What the new housing law means for renters", "furniture.call-to-action"),
    ("See video: Rescue crews reach the valley", "furniture.call-to-action"),
    ("Related: Town council votes on flood wall", "furniture.call-to-action"),
    ("RELATED COVERAGE", "furniture.call-to-action"),
    ("Advertisement", "furniture.call-to-action"),
    ("ADVERTISEMENT", "furniture.call-to-action"),
    ("Share this article", "furniture.call-to-action"),
    ("We use cookies to improve your experience on our site.", "furniture.call-to-action"),
    ("By continuing to use this site you agree to our cookie policy.", "furniture.call-to-action"),
    ("Get our free newsletter every weekday morning", "furniture.call-to-action"),
    ("Scroll down for video", "furniture.call-to-action"),
    ("Follow Example News's coverage of the storm", "furniture.call-to-action"),
    ("MOST READ: Council approves new harbour wall", "furniture.call-to-action"),
    ("MORE: Council approves new harbour wall", "furniture.call-to-action"),
    # credits
    ("Jane Roe contributed to this report.", "furniture.credit"),
    ("The Example Agency contributed to this report.", "furniture.credit"),
    ("Jane Roe in Lisbon and John Doe in Porto contributed reporting.", "furniture.credit"),
    ("Additional reporting by John Doe in Lisbon", "furniture.credit"),
    ("Additional reporting by John Doe.", "furniture.credit"),
    ("(Reporting by Jane Roe; Editing by John Doe)", "furniture.credit"),
    ("Photo credit: Jane Roe", "furniture.credit"),
    ("Photo: Jane Roe/Example Agency", "furniture.credit"),
    ("(Photo: Jane Roe/Example Agency)", "furniture.credit"),
    ("Getty Images", "furniture.credit"),
    ("Jane Roe/Getty Images", "furniture.credit"),
    ("With additional reporting from Example Agency", "furniture.credit"),
    ("Image copyright Example Agency", "furniture.credit"),
    ("© Example Media 2024", "furniture.credit"),
    ("Reuters", "furniture.credit"),
    ("REUTERS", "furniture.credit"),
    ("AP", "furniture.credit"),
    ("AFP", "furniture.credit"),
    ("The Associated Press", "furniture.credit"),
    ("Associated Press", "furniture.credit"),
    ("Bloomberg", "furniture.credit"),
    ("PA", "furniture.credit"),
    ("dpa", "furniture.credit"),
    # captions and subheads
    ("A firefighter carries a child through the flooded main street", "furniture.caption"),
    ("Volunteers stack sandbags outside the town hall on Monday (Jane Roe)", "furniture.caption"),
    ("Image caption: Boats moored in the flooded square.", "furniture.caption"),
    ("Rescue efforts", "furniture.subhead"),
    ("What happens next", "furniture.subhead"),
    # bylines
    ("By Jane Doe", "furniture.byline"),
    ("By JANE DOE", "furniture.byline"),
    ("By Jane Doe and John Roe, CNN", "furniture.byline"),
    ("By Jane Doe, John Roe & Ann Lee | Example News", "furniture.byline"),
    ("By Maria de la Cruz, Staff Writer", "furniture.byline"),
    ("By Jane Doe, Channel 4 News", "furniture.byline"),
    ("Updated 10:31 AM EDT, Mon October 10, 2022", "furniture.byline"),
]


@pytest.mark.parametrize("line,rule", DROPPED)
def test_furniture_line_is_dropped(line, rule):
    cleaned = in_body(line)
    check_invariants(cleaned)
    kept = texts(cleaned)
    assert line not in kept
    assert not any(line in k or k in line for k in kept if k not in (HEAD, BEFORE, AFTER)), kept
    assert rule in {r for r, _ in drops(cleaned)}, drops(cleaned)
    assert texts(cleaned) == [HEAD, BEFORE, AFTER]


# --------------------------------------------------------------------------------------------
# Lines that look a bit like furniture but are text: they must be kept whole, as body.

KEPT = [
    "NATO and the EU met on Monday.",
    "US, UK and EU envoys met in Paris.",
    "IAEA, WHO AND UN STAFF MET.",
    "The FBI and the CIA declined to comment.",
    "The camera made a loud click as the shutter closed.",
    "Readers can click through the archive online, the library said.",
    "Subscribers rose by 10% last year, the company said.",
    "Follow-up talks are planned for next week.",
    "Signs of damage were visible up and down the coast.",
    "A number of factors contributed to this decision, he said.",
    "By Monday, the water had receded from most streets.",
    "By then, Jane Doe had already left the building.",
    "Related talks ended without agreement on Friday.",
    "Photos showed a crater about ten metres wide.",
    "Reuters reported that the talks had stalled.",
    "The AP count shows 12 people dead.",
    "Bloomberg News said the deal was worth $1.5bn.",
    "Image rights are a matter for the courts, the judge said.",
    "Advertisements for the festival covered every wall.",
    "Read the statement below:",
    "1. Check that the water supply is safe",
    "- Keep away from the river bank",
    "Published figures show a rise of 3.5%.",
    "Getty Images photographers were on the scene early, the agency said.",
    "The cookie jar was empty, she said.",
    "He asked: \"Who will pay for the repairs?\"",
    "The mayor said \"we will rebuild.\"",
    "(The bridge had been closed since March.)",
]


@pytest.mark.parametrize("line", KEPT)
def test_real_line_is_kept(line):
    cleaned = in_body(line)
    check_invariants(cleaned)
    assert texts(cleaned, "body") == [BEFORE, line, AFTER], drops(cleaned)
    assert texts(cleaned, "headline") == [HEAD]


# --------------------------------------------------------------------------------------------
# Template markers inside a line: the text on both sides is kept, as separate blocks.


@pytest.mark.parametrize(
    "line,kept",
    [
        ("The mayor spoke first. {{widget}} Crowds cheered later.", ["The mayor spoke first.", "Crowds cheered later."]),
        ("{{#rendered}}The ferry was cancelled.{{/rendered}}", ["The ferry was cancelled."]),
        ("Roads closed at noon. [[related-box]]", ["Roads closed at noon."]),
        ("Schools stayed shut. (Photo: Jane Roe/Example Agency) Shops reopened.", ["Schools stayed shut.", "Shops reopened."]),
    ],
)
def test_markers_are_cut_out_of_a_line(line, kept):
    cleaned = in_body(line)
    check_invariants(cleaned)
    assert texts(cleaned, "body") == [BEFORE, *kept, AFTER]
    text = cleaned.source.text
    for d in cleaned.dropped:
        piece = text[d.start : d.end]
        assert piece.startswith(("{", "[", "(")) and piece.endswith(("}", "]", ")"))


def test_marker_only_line_is_one_drop():
    cleaned = in_body("{{#rendered}} {{/rendered}}")
    assert drops(cleaned) == [("furniture.template", "{{#rendered}} {{/rendered}}")]


# --------------------------------------------------------------------------------------------
# Datelines and bylines at the start of a paragraph: dropped as a prefix, the rest kept.


@pytest.mark.parametrize(
    "line,prefix,rest",
    [
        ("LISBON (Reuters) - The river rose two metres.", "LISBON (Reuters) -", "The river rose two metres."),
        ("KYIV, Ukraine (AP) — Sirens sounded across the city.", "KYIV, Ukraine (AP) —", "Sirens sounded across the city."),
        ("NEW YORK, Oct. 12 (Reuters) - Shares fell sharply.", "NEW YORK, Oct. 12 (Reuters) -", "Shares fell sharply."),
        ("PORTO, Nov 1 (Reuters) - The vote passed.", "PORTO, Nov 1 (Reuters) -", "The vote passed."),
        ("WASHINGTON — Lawmakers met late into the night.", "WASHINGTON —", "Lawmakers met late into the night."),
        ("Porto, Portugal (CNN) — The bridge reopened.", "Porto, Portugal (CNN) —", "The bridge reopened."),
        ("GENEVA (AFP) -- Talks resumed.", "GENEVA (AFP) --", "Talks resumed."),
    ],
)
def test_dateline_prefix(line, prefix, rest):
    cleaned = in_body(line)
    check_invariants(cleaned)
    assert texts(cleaned, "body") == [BEFORE, rest, AFTER]
    assert ("furniture.dateline", prefix) in drops(cleaned)
    block = [b for b in cleaned.blocks if cleaned.source.text[b.start : b.end] == rest][0]
    assert cleaned.source.text[block.start - 1].isspace()


def test_byline_before_dateline():
    cleaned = in_body("By Jane Doe LISBON, Nov 1 (Reuters) - The vote passed narrowly.")
    assert texts(cleaned, "body") == [BEFORE, "The vote passed narrowly.", AFTER]
    assert ("furniture.byline", "By Jane Doe") in drops(cleaned)
    assert ("furniture.dateline", "LISBON, Nov 1 (Reuters) -") in drops(cleaned)


@pytest.mark.parametrize(
    "line",
    [
        "NATO (the alliance) said it would respond.",
        "The UN (United Nations) - as it is known - met.",
        "US - China talks resumed on Monday.",
        "Lisbon — the capital — was quiet on Sunday.",
    ],
)
def test_not_a_dateline(line):
    cleaned = in_body(line)
    assert texts(cleaned, "body") == [BEFORE, line, AFTER]


# --------------------------------------------------------------------------------------------
# Headline area


def test_headline_and_standfirst():
    text = f"{HEAD}\nHundreds moved to shelters as the river bursts its banks\n\n{BEFORE}\n{AFTER}\n"
    cleaned = run(text)
    assert texts(cleaned, "headline") == [HEAD, "Hundreds moved to shelters as the river bursts its banks"]
    assert texts(cleaned, "body") == [BEFORE, AFTER]


def test_at_most_two_headline_lines():
    third = "A boat drifts past the submerged harbour office at dawn"
    cleaned = run(f"{HEAD}\nHundreds moved to shelters\n{third}\n{BEFORE}\n{AFTER}\n")
    assert len(texts(cleaned, "headline")) == 2
    assert ("furniture.caption", third) in drops(cleaned)


def test_furniture_above_the_headline_is_skipped():
    cleaned = run(f"{{{{#rendered}}}}\nAdvertisement\nBy Jane Doe\n{HEAD}\n\n{BEFORE}\n")
    assert texts(cleaned, "headline") == [HEAD]
    assert texts(cleaned, "body") == [BEFORE]


def test_no_headline_when_the_first_line_is_a_sentence():
    cleaned = run(f"{BEFORE}\nA caption line that has no final full stop at all\n{AFTER}\n")
    assert texts(cleaned, "headline") == []
    assert texts(cleaned, "body") == [BEFORE, AFTER]


def test_all_caps_first_line_is_a_headline_not_a_teaser():
    cleaned = run(f"FLOODS HIT HARBOUR TOWN AFTER NIGHT OF STORMS\n\n{BEFORE}\n")
    assert texts(cleaned, "headline") == ["FLOODS HIT HARBOUR TOWN AFTER NIGHT OF STORMS"]


def test_markdown_heading_marks_are_dropped():
    cleaned = run(f"# {HEAD}\n\n{BEFORE}\n## What happens next\n{AFTER}\n")
    assert texts(cleaned, "headline") == [HEAD]
    assert texts(cleaned, "body") == [BEFORE, AFTER]
    assert ("furniture.markup", "#") in drops(cleaned)
    assert ("furniture.subhead", "What happens next") in drops(cleaned)
    assert texts(in_body("#1 seed Jane Doe won the final."), "body")[1] == "#1 seed Jane Doe won the final."


def test_headline_ending_with_a_question_mark_is_body():
    cleaned = run(f"Will the harbour wall hold?\n{BEFORE}\n")
    assert texts(cleaned, "body") == ["Will the harbour wall hold?", BEFORE]


# --------------------------------------------------------------------------------------------
# The caption/subhead guard: a text written without punctuation keeps all its lines.


def test_text_without_punctuation_keeps_every_line():
    lines = [
        "the river rose two metres overnight officials said",
        "residents were moved to a school gym on tuesday",
        "the mayor asked people to stay away from the bank",
        "Short line",
        "roads into the town stayed closed all day",
    ]
    cleaned = run("\n\n".join(lines))
    assert texts(cleaned) == lines
    assert texts(cleaned, "headline") == lines[:2]
    assert cleaned.dropped == ()


def test_a_multi_sentence_paragraph_missing_its_last_full_stop_is_kept():
    line = "The mayor spoke. Crowds cheered. Then the rain came back in the evening"
    cleaned = in_body(line)
    assert texts(cleaned, "body") == [BEFORE, line, AFTER]


# --------------------------------------------------------------------------------------------
# Hard-wrapped paragraphs and line endings


def test_hard_wrapped_paragraph_is_one_block():
    text = f"{HEAD}\n\nThe council voted on a new\nplan for the harbour on Monday, and\nwork starts soon.\nThe vote was close.\n"
    cleaned = run(text)
    assert texts(cleaned, "body") == [
        "The council voted on a new\nplan for the harbour on Monday, and\nwork starts soon.",
        "The vote was close.",
    ]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("The vote was close.\nlater it was annulled.", ["The vote was close.", "later it was annulled."]),
        ("The council voted on a new\n\nplan for the harbour.", ["The council voted on a new", "plan for the harbour."]),
        ("The council voted on a new\nPlan for the harbour.", ["The council voted on a new", "Plan for the harbour."]),
    ],
)
def test_lines_that_are_not_joined(text, expected):
    assert texts(run(text)) == expected


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_endings(newline):
    lines = [HEAD, "", BEFORE, "CLICK HERE TO GET THE APP", AFTER, "The council voted on a new", "plan on Monday."]
    text = newline.join(lines) + newline
    cleaned = run(text)
    check_invariants(cleaned)
    assert texts(cleaned, "headline") == [HEAD]
    assert texts(cleaned, "body") == [BEFORE, AFTER, f"The council voted on a new{newline}plan on Monday."]
    assert drops(cleaned) == [("furniture.call-to-action", "CLICK HERE TO GET THE APP")]


def test_empty_and_blank_texts():
    assert run("").blocks == ()
    assert run("  \n\r\n\t \r ").blocks == ()
    assert run("  \n\r\n\t \r ").dropped == ()


def test_ends_sentence():
    assert ends_sentence("It is over.")
    assert ends_sentence('He said "it is over."')
    assert ends_sentence("(It was late.)  ")
    assert ends_sentence("Really?!")
    assert not ends_sentence("A caption without a stop")
    assert not ends_sentence("")


# --------------------------------------------------------------------------------------------
# The lexicon drives the rules.


def test_lexicon_extension_adds_a_call_to_action():
    lex = DEFAULT.extended({"furniture": {"rules": {"call-to-action": {"starts": ["watch live"]}}}})
    line = "Watch live coverage from the scene"
    assert ("furniture.call-to-action", line) in drops(clean(Source("s", "s", None, f"{BEFORE}\n{line}\n"), lex))
    # the default lexicon would take it for a caption
    assert ("furniture.caption", line) in drops(run(f"{BEFORE}\n{line}\n{AFTER}\n"))


def test_lexicon_extension_adds_a_rule():
    lex = DEFAULT.extended(
        {"furniture": {"rules": {"promo": {"id": "furniture.promo", "type": "line", "patterns": ["^PROMO CODE"]}}}}
    )
    cleaned = clean(Source("s", "s", None, f"{BEFORE}\nPROMO CODE SAVE10 gets you ten percent off.\n"), lex)
    assert [r for r, _ in drops(cleaned)] == ["furniture.promo"]


def test_bad_pattern_is_a_config_error():
    lex = DEFAULT.extended({"furniture": {"rules": {"bad": {"type": "line", "patterns": ["(unclosed"]}}}})
    with pytest.raises(ConfigError):
        clean(Source("s", "s", None, "x"), lex)


def test_unknown_rule_type_is_a_config_error():
    lex = DEFAULT.extended({"furniture": {"rules": {"bad": {"type": "nonsense"}}}})
    with pytest.raises(ConfigError):
        clean(Source("s", "s", None, "x"), lex)


# --------------------------------------------------------------------------------------------
# Linear time on hostile input


MEGA = 1_000_000


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("word " * (MEGA // 5), id="1MB-unpunctuated"),
        pytest.param("WORD " * (MEGA // 5), id="1MB-caps"),
        pytest.param("{{" * (MEGA // 2), id="open-braces"),
        pytest.param("[[" * (MEGA // 2), id="open-brackets"),
        pytest.param("<!--" * (MEGA // 4), id="open-comments"),
        pytest.param("(Photo: " * (MEGA // 8), id="open-credits"),
        pytest.param("a\n" * (MEGA // 2), id="many-wrapped-lines"),
        pytest.param("By " + "Jane " * (MEGA // 5), id="long-byline"),
        pytest.param("LONDON " * (MEGA // 7), id="long-dateline"),
        pytest.param(" " * MEGA, id="whitespace"),
    ],
)
def test_linear_time(text):
    t0 = time.perf_counter()
    cleaned = run(text)
    assert time.perf_counter() - t0 < 20
    check_invariants(cleaned)


# --------------------------------------------------------------------------------------------
# Properties


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_any_text_never_raises(text):
    check_invariants(run(text))


LINEISH = st.lists(
    st.one_of(
        st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40),
        st.sampled_from(
            [
                "{{#rendered}}",
                "{{/rendered}}",
                "[[x]]",
                "CLICK HERE TO GET THE APP",
                "LISBON (Reuters) - ",
                "By Jane Doe",
                "Reuters",
                "A ship sails past the harbour wall at dawn",
                "The vote was close.",
                "plan for the harbour",
                "\n",
                "\r\n",
                "\r",
                " ",
                ".",
                "(Photo: X)",
            ]
        ),
    ),
    max_size=30,
).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(LINEISH)
def test_pagelike_text_never_raises(text):
    cleaned = run(text)
    check_invariants(cleaned)
    # nothing that is not whitespace is lost without a record
    covered = [False] * len(text)
    for s in [*cleaned.blocks, *cleaned.dropped]:
        for i in range(s.start, s.end):
            covered[i] = True
    for i, ch in enumerate(text):
        if not covered[i]:
            assert ch.isspace(), (text, i)
