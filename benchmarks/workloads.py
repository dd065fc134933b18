"""Deterministic workloads for the benchmark: synthetic articles, real bodies, padded fixtures.

* `synthetic(n)`: one event told n times. Every article recombines the sentences of the
  fixtures/kyiv-drones articles (and the two drafts written from them), with its own figures,
  names and order, to about 500 words. Every article shares its vocabulary with every other:
  the hard case for candidate blocking.
* `real_bodies(path, limit)`: real news texts, from a directory of .txt/.md files or from a CSV
  with an `articleBody` column (../shared/eval/fnc1-train/train_bodies.csv).
* `padded(event, n, pool)`: a fixture event plus n unrelated real articles, to check that the
  fixture's expected findings are still found when the run is large.
"""
from __future__ import annotations

import csv
import os
import random
import re
from pathlib import Path

from reconcile.models import Source

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SHARED = ROOT.parent / "shared"
FNC1_BODIES = SHARED / "eval" / "fnc1-train" / "train_bodies.csv"

_NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?![\w,])|(?<![\w.,])\d+(?![\w,])")
_PEOPLE = ("Vitali Klitschko", "Volodymyr Zelenskyy", "Volodymyr Zelensky", "Denys Shmyhal", "Vladimir Putin")
_OTHER_PEOPLE = ("Oksana Hrytsenko", "Taras Melnyk", "Iryna Bondar", "Andriy Kovalenko", "Olena Shevchuk",
                 "Mykhailo Lysenko", "Natalia Tkachenko", "Petro Savchenko", "Yulia Marchenko", "Serhiy Rudenko")
_PLACES = ("Luxembourg", "Shevchenkivskyi")
_OTHER_PLACES = ("Brussels", "Strasbourg", "Podilskyi", "Pecherskyi", "Holosiivskyi", "Vienna")
_BYLINES = ("Anna Weber", "Tomas Novak", "Maria Rossi", "James Hale", "Lena Fischer", "Karl Berg")


def fixture_sentences() -> list[str]:
    """The distinct body sentences of the Kyiv fixture articles and drafts, as the pipeline splits them."""
    from reconcile.clean import clean
    from reconcile.ingest import load_sources
    from reconcile.segment import segment

    seen: dict[str, None] = {}
    sources = load_sources([str(FIXTURES / "kyiv-drones"), str(FIXTURES / "drafts")])
    for source in sources:
        for sentence in segment(clean(source)):
            if not sentence.headline:
                seen.setdefault(" ".join(sentence.text.split()), None)
    return list(seen)


def _vary_number(match: re.Match[str], rng: random.Random) -> str:
    text = match.group(0)
    value = int(text.replace(",", ""))
    if 1900 <= value <= 2100 or value == 0:
        return text  # years and zero stay
    varied = max(1, round(value * rng.uniform(0.5, 1.6)))
    return f"{varied:,}" if "," in text or varied >= 10_000 else str(varied)


def _vary(sentence: str, rng: random.Random, people: dict[str, str], places: dict[str, str]) -> str:
    out = _NUMBER.sub(lambda m: _vary_number(m, rng), sentence)
    for old, new in people.items():
        out = out.replace(old, new)
    for old, new in places.items():
        out = out.replace(old, new)
    return out


def synthetic_article(i: int, pool: list[str], words: int = 500) -> str:
    """Article i of the synthetic workload: the same for the same i and pool, on every machine."""
    rng = random.Random(1_000_003 * (i + 1))
    people = {p: rng.choice(_OTHER_PEOPLE) for p in _PEOPLE if rng.random() < 0.5}
    places = {p: rng.choice(_OTHER_PLACES) for p in _PLACES if rng.random() < 0.5}
    order = pool[:]
    rng.shuffle(order)
    chosen: list[str] = []
    count = 0
    for sentence in order:
        if count >= words:
            break
        chosen.append(_vary(sentence, rng, people, places))
        count += len(sentence.split())
    headline = chosen[0].rstrip(".")
    paragraphs = []
    rest = chosen[1:]
    while rest:
        size = rng.choice((1, 2, 2, 3))
        paragraphs.append(" ".join(rest[:size]))
        rest = rest[size:]
    byline = f"By {rng.choice(_BYLINES)}"
    return "\n\n".join([headline, byline, chosen[0]] + paragraphs) + "\n"


def synthetic(n: int, words: int = 500) -> list[Source]:
    """n synthetic articles about the one Kyiv event, as Sources with ids a00000, a00001, ..."""
    pool = fixture_sentences()
    return [Source(id=f"a{i:05d}", name=f"a{i:05d}", path=None, text=synthetic_article(i, pool, words))
            for i in range(n)]


def real_bodies(path: str | os.PathLike = FNC1_BODIES, limit: int | None = None) -> list[Source]:
    """Real articles from a CSV with an `articleBody` column, or a directory of .txt/.md files."""
    path = Path(path)
    sources: list[Source] = []
    if path.is_dir():
        from reconcile.ingest import load_sources

        sources = list(load_sources([str(path)]))
    else:
        csv.field_size_limit(1 << 24)
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                body = (row.get("articleBody") or "").strip()
                if body:
                    rid = (row.get("Body ID") or str(len(sources))).strip()
                    sources.append(Source(id=f"r{int(rid):05d}" if rid.isdigit() else f"r-{rid}",
                                          name=rid, path=None, text=body + "\n"))
    return sources[:limit] if limit is not None else sources


def padded(event: str, n: int, pool: list[Source]) -> list[Source]:
    """The articles of fixtures/<event>/ plus the first n articles of `pool` (unrelated real news)."""
    from reconcile.ingest import load_sources

    own = list(load_sources([str(FIXTURES / event)]))
    if n > len(pool):
        raise ValueError(f"only {len(pool)} unrelated articles to pad with, asked for {n}")
    return own + pool[:n]


def write_dir(sources: list[Source], folder: str | os.PathLike) -> list[str]:
    """Write sources as <id>.txt files (front matter for a date) so that the CLI can read them."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for source in sources:
        text = source.text
        if source.date:
            text = f"---\ndate: {source.date}\n---\n" + text
        target = folder / f"{source.id}.txt"
        target.write_text(text, encoding="utf-8")
        paths.append(str(target))
    return paths
