"""Which sources are about the same thing: pairs that tell at least one fact in common."""
from __future__ import annotations

from collections import Counter, defaultdict

from ..models import Group


class Related:
    """Pairs of sources that share an aligned group, as a set of frozensets (`pair in related`).

    Whole sources are compared pair by pair only along these pairs, so a run padded with
    unrelated articles costs little more than the related ones. When one event is told by
    hundreds of sources the pairs grow with the square of the sources: past `budget` pairs the
    set is not built (`pairs` is None) and two sources count as related when a chain of shared
    groups joins them.
    """

    def __init__(self, groups: tuple[Group, ...], budget: int):
        parent: dict[str, str] = {}
        find = _finder(parent)
        pairs: set[frozenset[str]] | None = set()
        for g in groups:
            ids = sorted(g.source_ids)
            if len(ids) < 2:
                continue
            root = find(ids[0])
            for other in ids[1:]:
                parent[find(other)] = root
            if pairs is not None:
                if len(ids) * (len(ids) - 1) // 2 > budget:
                    pairs = None
                    continue
                pairs.update(frozenset((a, b)) for i, a in enumerate(ids) for b in ids[i + 1:])
                if len(pairs) > budget:
                    pairs = None
        self._find = find
        self.pairs = pairs

    def __contains__(self, pair: frozenset[str]) -> bool:
        if self.pairs is not None:
            return pair in self.pairs
        a, b = sorted(pair)
        return self._find(a) == self._find(b)

    def joins(self, ids: list[str]) -> bool:
        """Whether every two of the sources are related."""
        if self.pairs is None:
            return len({self._find(i) for i in ids}) == 1
        return all(frozenset((a, b)) in self.pairs for i, a in enumerate(ids) for b in ids[i + 1:])

    def union_of_others(self, values: dict[str, set]) -> dict[str, set]:
        """For each source, the union of `values` over the sources related to it."""
        out: dict[str, set] = {sid: set() for sid in values}
        if self.pairs is not None:
            for a, b in self.sorted_pairs():
                out[a] |= values.get(b, set())
                out[b] |= values.get(a, set())
            return out
        counts: dict[str, Counter] = defaultdict(Counter)
        for sid, items in values.items():
            counts[self._find(sid)].update(items)
        for sid, items in values.items():
            out[sid] = {v for v, n in counts[self._find(sid)].items() if n > (v in items)}
        return out

    def root(self, source_id: str) -> str:
        """The first source of the chain of shared groups that holds this one."""
        return self._find(source_id)

    def sorted_pairs(self) -> list[tuple[str, str]]:
        """The related pairs in a fixed order (only when they were counted)."""
        return sorted(tuple(sorted(p)) for p in self.pairs or ())


def events(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Each source of the pairs and the first id (in sort order) of the sources a chain of pairs
    joins it to: findings merged across pairs of sources stay within one event."""
    parent: dict[str, str] = {}
    find = _finder(parent)
    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)  # the smaller id stays root: the smallest of all
    return {x: find(x) for x in list(parent)}


def _finder(parent: dict):
    """The root of a source in the union-find forest `parent` (a source not in it is its own)."""
    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    return find


class UnionFind:
    """`_finder` with a way to join two items: find(x) is x's root, find.join(x, y) puts x's
    tree under y's root."""

    def __init__(self, parent: dict):
        self.parent, self._find = parent, _finder(parent)

    def __call__(self, x):
        return self._find(x)

    def join(self, x, y) -> None:
        self.parent[self._find(x)] = self._find(y)
