"""Facts, not sentences: the values of all sources (values.py) grouped by fact (what they
measure, whose it is, which event), and each fact judged as one finding that names the pairs of
sources whose values cannot both be true."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from ..support.lexicon import DEFAULT, Lexicon
from ..models import Claim, Finding
from .findings import make_finding
from .related import UnionFind
from .spellings import spelling_values
from .values import Value, _tables, case_years_of, fact_label, persons_in, plural, values_of

__all__ = ["Value", "fact_values", "fact_label", "fact_findings", "facts_of"]

# Counts that can shrink between reports: the missing are found, the displaced go home.
CAN_FALL = ("missing", "displaced", "evacuated")
# Sums of money this many times apart are of different things.
MONEY_SCALE = 20
# Beyond this many sources in one fact, not every pair of sources is judged (one event told by
# hundreds): see _pairs_to_judge.
ALL_PAIRS = 40
NEIGHBOURS = 8
LISTED_PAIRS = 40  # conflicting pairs named in a summary; `conflicts` lists them all


def fact_values(by_source: dict[str, list[Claim]], lexicon: Lexicon = DEFAULT) -> dict[str, list[Value]]:
    """Each source's values, its people known by the names every source gives them, and its
    spellings of the names that sources spell otherwise."""
    everything = [c for sid in sorted(by_source) for c in by_source[sid]]
    persons = persons_in(everything, lexicon)
    case_years = case_years_of(by_source)
    spellings = spelling_values(by_source, lexicon)
    return {sid: values_of(tuple(by_source[sid]), persons, case_years, lexicon) + spellings[sid] for sid in sorted(by_source)}


def facts_of(values: list[Value]) -> list[list[Value]]:
    """Values grouped into facts: one measure of one event and scope, of one person where the
    values say whose it is. Values tagged alike (the same surname, the same age) join; untagged
    values join the measure's only tagged fact, or form the event's own when none is tagged."""
    buckets: dict[tuple, list[Value]] = defaultdict(list)
    for v in values:
        buckets[(v.measure, v.era)].append(v)
    facts = []
    for key in sorted(buckets):
        bucket = buckets[key]
        find = UnionFind({})
        owner: dict[str, int] = {}
        people: dict[int, set[str]] = {}  # root -> the surnames its values carry
        for i, v in enumerate(bucket):
            people[i] = {v.holder} if v.holder else set()
            for tag in sorted(v.tags):
                if tag not in owner:
                    owner[tag] = i
                    continue
                mine, theirs = find(i), find(owner[tag])
                if mine == theirs or (tag.startswith("age:") and people[mine] and people[theirs]
                                      and people[mine] != people[theirs]):
                    continue  # two people of one age stay two people
                find.join(i, owner[tag])
                people[find(i)] = people[mine] | people[theirs]
        clusters: dict[int, list[Value]] = defaultdict(list)
        floating = []
        for i, v in enumerate(bucket):
            (clusters[find(i)] if v.tags else floating).append(v)
        tagged = list(clusters.values())
        if key[0] == "age":
            # An age of nobody named ("a 63-year-old woman") can only agree: it joins the one
            # person given that same age, if exactly one is.
            for v in floating:
                same = [c for c in tagged if any((u.low, u.high) == (v.low, v.high) for u in c)]
                if len(same) == 1:
                    same[0].append(v)
        elif len(tagged) == 1:
            tagged[0].extend(floating)
        elif len(tagged) == 2:
            for v in floating:
                other = _the_other(v, tagged)
                if other is not None:
                    other.append(v)
        elif not tagged and floating:
            tagged = [floating]
        facts.extend(tagged)
    return facts


def _the_other(v: Value, two: list[list[Value]]) -> list[Value] | None:
    """Of two people, the one an unnamed value is of when its own source gives the other person
    a different value ("Rait fell 200 ft" ... "a climber fell 2,000 ft": the second one)."""
    mine = [fact for fact in two if any(u.source_id == v.source_id for u in fact)]
    if len(mine) != 1 or any(_compatible(u, v) for u in mine[0] if u.source_id == v.source_id):
        return None
    return two[1] if mine[0] is two[0] else two[0]


def _compatible(a: Value, b: Value) -> bool:
    if a.measure.startswith("slot:"):
        return a.label == b.label
    if a.scope != b.scope:  # "12 dead in Kyiv" is a part of "300 dead nationwide so far"
        part, whole = (a, b) if b.scope == "total" else (b, a)
        return part.low <= whole.high * (1 + whole.rounding)
    if a.subset and not b.subset:
        return a.low <= b.high * (1 + b.rounding)
    if b.subset and not a.subset:
        return b.low <= a.high * (1 + a.rounding)
    return a.low * (1 - a.rounding) <= b.high * (1 + b.rounding) and b.low * (1 - b.rounding) <= a.high * (1 + a.rounding)


def _comparable(a: Value, b: Value) -> bool:
    """Places tell event counts apart ("12 dead in Kyiv", "3 in Lviv"); a value of a person is
    that person's wherever the sentence is set."""
    if a.vague or b.vague:
        return False
    if a.measure.startswith("money") and min(a.high, b.high) * MONEY_SCALE < max(a.low, b.low):
        return False  # "$2" and "$2.6 million" are different sums (or a number broken in two)
    return bool(a.holder or b.holder) or not (a.places and b.places and not a.places & b.places)


def _revises(a: Value, b: Value, dates: dict) -> Value | None:
    """The value that revises the other: it says it rose (or fell) past it, or its source was
    published later with a count that only grows larger."""
    if a.measure.startswith("slot:"):
        return None
    for new, old in ((a, b), (b, a)):
        if new.change == "rose" and new.low > old.low:
            return new
        if new.change == "fell" and new.high < old.high:
            return new
    da, db = dates.get(a.source_id), dates.get(b.source_id)
    if not (da and db) or str(da) == str(db):
        return None
    later, earlier = (a, b) if str(da) > str(db) else (b, a)
    measure = later.measure.split(":")[0]
    if later.low > earlier.low or (measure in CAN_FALL and later.high < earlier.high):
        return later
    return None


def _pair_verdict(mine: list[Value], theirs: list[Value], dates: dict) -> tuple[str, Value, Value] | None:
    """How two sources' values of one fact stand: agree, update or conflict (with the values
    that show it); None when none of them can be compared."""
    pairs = [(a, b) for a in mine for b in theirs if _comparable(a, b)]
    if not pairs:
        return None
    agreeing = [(a, b) for a, b in pairs if _compatible(a, b)]
    if agreeing:
        revising = [(a, b) for a, b in agreeing if (a.change or b.change) and (a.low, a.high) != (b.low, b.high)
                    and _revises(a, b, dates)]
        return ("update", *revising[0]) if revising else ("agree", *agreeing[0])
    revising = [(a, b) for a, b in pairs if _revises(a, b, dates)]
    if revising:
        return ("update", *revising[0])
    pairs = [(a, b) for a, b in pairs if not (a.weak or b.weak)]
    if not pairs:
        return None
    return ("conflict", *max(pairs, key=lambda p: (p[0].low, p[1].low, p[0].claim.id, p[1].claim.id)))


def _topic(fact: list[Value], labels: dict, slot_labels: dict) -> str:
    measure = fact[0].measure.split(":")
    if measure[0] == "slot":
        name = slot_labels.get(measure[1]) or labels.get(":".join(measure[:2]), measure[1])
    elif measure[0] == "counted":
        name = f"number of {plural(measure[1])}"
    else:
        name = labels.get(measure[0], measure[0])
    holders = sorted({v.holder for v in fact if v.holder})
    if holders and len(holders) <= 2:
        name += f" ({', '.join(holders)})"
    if fact[0].era:
        name += f" ({fact[0].era.replace('year:', 'in ')})"
    elif fact[0].scope == "total":
        name += " (running total)"
    return name


def fact_findings(per_source_values: dict[str, list[Value]], related, dates: dict,
                  lexicon: Lexicon = DEFAULT) -> list[Finding]:
    """One finding per fact that two related sources give a value of: a contradiction when two
    of them cannot both be true (and neither revises the other), an update when a later value
    revises an earlier one, an agreement otherwise."""
    values = [v for sid in sorted(per_source_values) for v in per_source_values[sid]]
    tables = _tables(lexicon)
    slot_labels = {slot: spec[0] for slot, spec in tables["slots"].items()}
    pairs = getattr(related, "pairs", related)
    neighbours = _neighbours(pairs) if pairs is not None else None
    findings = []
    for fact in facts_of(values):
        per_source: dict[str, list[Value]] = defaultdict(list)
        for v in fact:
            per_source[v.source_id].append(v)
        if len(per_source) < 2:
            continue
        for component in _components(sorted(per_source), related, neighbours):
            findings.extend(_fact_finding({sid: per_source[sid] for sid in component}, related, dates,
                                          _topic([v for sid in component for v in per_source[sid]], tables["labels"],
                                                 slot_labels)))
    return findings


def _neighbours(pairs) -> dict[str, set[str]]:
    """Each source's related sources, indexed once per run: a fact's few sources then look up
    their own neighbours instead of every fact walking every pair."""
    index: dict[str, set[str]] = defaultdict(set)
    for pair in pairs:
        a, b = sorted(pair)
        index[a].add(b)
        index[b].add(a)
    return index


def _components(ids: list[str], related, neighbours: dict[str, set[str]] | None) -> list[list[str]]:
    """The sources of a fact split by the events they tell (sources no group relates stay apart):
    along the related pairs, or by the chain of groups where the pairs were too many to count."""
    find = UnionFind({})
    if neighbours is None:  # one story told by hundreds of sources: Related knows their chains
        for sid in ids:
            find.join(sid, ("story", related.root(sid)))
    else:
        members = set(ids)
        for a in ids:
            for b in sorted(neighbours.get(a, set()) & members):
                if b > a:
                    find.join(b, a)
    out: dict[object, list[str]] = defaultdict(list)
    for sid in ids:
        out[find(sid)].append(sid)
    return [group for group in out.values() if len(group) >= 2]


def _pairs_to_judge(ids: list[str], per_source: dict[str, list[Value]], dates: dict) -> list[tuple[str, str]]:
    """Every pair of sources while they are few; beyond ALL_PAIRS, one source of each different
    telling (the same values on the same date) against its NEIGHBOURS nearest tellings by value,
    so that hundreds of sources of one event cost what their different figures number, and a
    clash between two tellings is found wherever they lie."""
    if len(ids) <= ALL_PAIRS:
        return [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]]
    tellings: dict[tuple, str] = {}
    for sid in ids:
        key = (str(dates.get(sid) or ""),) + tuple(sorted((v.low, v.high, v.label, v.subset, v.scope, v.vague, v.weak)
                                                          for v in per_source[sid]))
        tellings.setdefault(key, sid)
    firsts = sorted(tellings.values(), key=lambda sid: (min(v.low for v in per_source[sid]), sid))
    out = {tuple(sorted((a, b))) for n, a in enumerate(firsts) for b in firsts[n + 1:n + 1 + NEIGHBOURS]}
    out |= {tuple(sorted((firsts[0], b))) for b in firsts[1:]}  # every telling against the lowest
    return sorted(out)


def _fact_finding(per_source: dict[str, list[Value]], related, dates: dict, topic: str) -> list[Finding]:
    ids = sorted(per_source)
    verdicts = {}
    for a, b in _pairs_to_judge(ids, per_source, dates):
        verdict = _pair_verdict(per_source[a], per_source[b], dates)
        if verdict is not None:
            verdicts[(a, b)] = verdict
    if not verdicts:
        return []
    kinds = {v[0] for v in verdicts.values()}
    used: dict[str, set[int]] = defaultdict(set)  # source -> its values that take part in a verdict
    for verdict in verdicts.values():
        for v in verdict[1:]:
            used[v.source_id].add(id(v))
    shown = {sid: _shown(per_source[sid], used[sid]) for sid in ids if sid in used}
    claims = [c for sid in sorted(shown) for v in shown[sid] for c in v.claims]
    told: dict[str, list[str]] = {}  # what a source says -> the sources that say it
    revised = "conflict" not in kinds and "update" in kinds
    # An update reads in the order of the telling: by date, else from the smallest figure up.
    order = sorted(shown, key=lambda sid: (str(dates.get(sid) or ""), min(v.low for v in shown[sid]), sid)) \
        if revised else sorted(shown)
    for sid in order:
        told.setdefault(", ".join(dict.fromkeys(v.label for v in shown[sid])), []).append(sid)
    values = (" → " if revised else " · ").join(f"{label} ({', '.join(ids)})" for label, ids in told.items())
    numeric = not next(iter(per_source.values()))[0].measure.startswith("slot:")
    if "conflict" in kinds:
        verdict, kind, confidence, rule = "contradiction", "numeric" if numeric else "slot", 0.85, "judge.fact.conflict"
    elif "update" in kinds:
        verdict, kind, confidence, rule = "update", "numeric", 0.75, "judge.fact.update"
    else:
        verdict, kind, confidence, rule = "agreement", None, 0.8, "judge.fact.agreement"
    clashing = sorted((a, b) for (a, b), v in verdicts.items() if v[0] == "conflict")
    summary = f"{topic}: {values}"
    if clashing:
        more = f" and {len(clashing) - LISTED_PAIRS} more pairs" if len(clashing) > LISTED_PAIRS else ""
        summary += "; cannot both be true: " + ", ".join(f"{a} vs {b}" for a, b in clashing[:LISTED_PAIRS]) + more
    finding = make_finding(verdict, kind, topic, summary, confidence, claims, 0.0, (rule,), fact=topic)
    by_id = {c.id: i for i, c in enumerate(finding.claims)}
    conflicts = tuple(sorted({(by_id[verdicts[p][1].claim.id], by_id[verdicts[p][2].claim.id]) for p in clashing}))
    labels = tuple((v.claim.id, v.label) for sid in sorted(shown) for v in shown[sid])
    out = [replace(finding, conflicts=conflicts, values=labels)]
    if verdict == "contradiction" and "update" in kinds:
        out.append(_revision_finding(verdicts, topic, dates))
    return out


def _revision_finding(verdicts: dict, topic: str, dates: dict) -> Finding:
    """Beside a fact's contradiction, the later figures that revise earlier ones: a rising toll
    is told as an update even where other sources disagree about it. It reads in the order of
    the telling, by date, else from the smallest figure up."""
    revised = [(v[1], v[2]) for v in verdicts.values() if v[0] == "update"]
    values = list(dict.fromkeys(v for pair in revised for v in pair))
    later = {id(_revises(a, b, dates) or b) for a, b in revised}

    def told(side: list[Value]) -> str:
        side = sorted(side, key=lambda v: (str(dates.get(v.source_id) or ""), v.low, v.source_id))
        return " · ".join(f"{v.label} ({v.source_id})" for v in side)

    shown = f"{told([v for v in values if id(v) not in later])} → {told([v for v in values if id(v) in later])}"
    finding = make_finding("update", "numeric", topic, f"{topic} revised: {shown}", 0.75,
                           [c for v in values for c in v.claims], 0.0, ("judge.fact.update",), fact=topic)
    return replace(finding, values=tuple((v.claim.id, v.label) for v in values))


SHOWN_PER_SOURCE = 4


def _shown(values: list[Value], used: set[int]) -> list[Value]:
    """A source's values of the fact, in text order: those that take part in its verdicts first,
    then the others that say the same, up to a few."""
    first = [v for v in values if id(v) in used] or values[:1]
    rest = [v for v in values if id(v) not in used and any(_compatible(v, u) for u in first)]
    return (first + rest)[:max(SHOWN_PER_SOURCE, len(first))]
