"""Clusters: weakly connected components over linked pairs (GDS WCC), then conflicts split away.

A component must not hold two different ID documents with a check digit (身份证: another valid number is
another person; a number without one, a passport or social-security number, may be a slip, which the
score weighs) or a cannot_link pair. Such a component is
re-clustered greedily: steward must_link edges first, then linked pairs from the strongest score down,
each merge made only if it does not join conflicting records; so the weakest links are the ones left
out. A must_link that itself contradicts an ID document or a cannot_link is not applied and becomes a
'conflict' review case.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from carkg.graph import Database, cypher
from carkg.identity.records import Record

MUST = float("inf")


@dataclass
class Clustering:
    clusters: list[list[int]]  # indices into the records
    kept_edges: list[tuple[int, int, float]]  # edges whose ends ended up together (MUST for must_link)
    split_components: int = 0
    refused_must: list[tuple[int, int, str]] = field(default_factory=list)  # (i, j, reason)
    gds_seconds: float = 0.0


def gds_components(db: Database, keys: list[str] | None, graph_name: str) -> dict[int, int]:
    """node id → component id; the in-memory projection is dropped whatever happens."""
    from graphdatascience import GraphDataScience

    # On our own driver (notifications off), no Arrow, no progress bars: a batch job, not a notebook.
    gds = GraphDataScience(db.driver, database=db.target.database, arrow=False, show_progress=False)
    try:
        projected = gds.graph.project.cypher(cypher("identity/gds_project"), graphName=graph_name, keys=keys)
        frame = gds.wcc.stream(projected.graph, log_progress=False)
        return dict(zip(frame["nodeId"].tolist(), frame["componentId"].tolist(), strict=True))
    finally:
        try:
            gds.graph.drop(graph_name, fail_if_missing=False)
        finally:
            gds.close()


class _Groups:
    """Union–find whose roots know their ID documents and members, to refuse conflicting merges."""

    def __init__(self, records: Sequence[Record], members: Iterable[int], cannot: dict[int, set[int]]) -> None:
        self.parent = {i: i for i in members}
        self.ids = {i: set(records[i].checked_ids) for i in self.parent}
        self.members = {i: [i] for i in self.parent}
        self.cannot = cannot

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def conflict(self, a: int, b: int) -> str | None:
        ids_a, ids_b = self.ids[a], self.ids[b]
        if ids_a and ids_b and not (ids_a <= ids_b or ids_b <= ids_a):
            return "different ID documents"
        small, big = (a, b) if len(self.members[a]) <= len(self.members[b]) else (b, a)
        for i in self.members[small]:
            for j in self.cannot.get(i, ()):
                if j in self.parent and self.find(j) == big:
                    return "cannot_link decision"
        return None

    def union(self, a: int, b: int) -> None:
        if len(self.members[a]) < len(self.members[b]):
            a, b = b, a
        self.parent[b] = a
        self.ids[a] |= self.ids.pop(b)
        self.members[a].extend(self.members.pop(b))


def _has_conflict(records: Sequence[Record], members: list[int], cannot: dict[int, set[int]]) -> bool:
    ids = {h for i in members for h in records[i].checked_ids}
    if len(ids) > 1:
        return True
    inside = set(members)
    return any(j in inside for i in members for j in cannot.get(i, ()))


def cluster(
    db: Database,
    records: Sequence[Record],
    keys: list[str] | None,
    links: list[tuple[int, int, float]],
    must: list[tuple[int, int]],
    cannot: list[tuple[int, int]],
    graph_name: str,
) -> Clustering:
    """Final clusters over `records` (the scope); `links` are scored (i, j, score) pairs decided 'link'."""
    by_id = {rec.id: i for i, rec in enumerate(records)}
    started = time.perf_counter()
    components = gds_components(db, keys, graph_name) if links or must else {}  # nothing linked: all singletons
    gds_seconds = time.perf_counter() - started
    grouped: dict[int, list[int]] = defaultdict(list)
    for node_id, component in components.items():
        if node_id in by_id:
            grouped[component].append(by_id[node_id])
    seen = {i for members in grouped.values() for i in members}
    for i in range(len(records)):  # a record the projection did not see stays on its own
        if i not in seen:
            grouped[-1 - i].append(i)

    cannot_of: dict[int, set[int]] = defaultdict(set)
    for i, j in cannot:
        cannot_of[i].add(j)
        cannot_of[j].add(i)
    edges = [(i, j, MUST) for i, j in must] + sorted(links, key=lambda e: -e[2])
    edges_of: dict[int, list[tuple[int, int, float]]] = defaultdict(list)
    component_of = {i: c for c, members in grouped.items() for i in members}
    for edge in edges:
        if component_of.get(edge[0]) == component_of.get(edge[1]):
            edges_of[component_of[edge[0]]].append(edge)

    result = Clustering(clusters=[], kept_edges=[], gds_seconds=gds_seconds)
    for component, members in grouped.items():
        if len(members) == 1 or not _has_conflict(records, members, cannot_of):
            result.clusters.append(members)
            result.kept_edges.extend(edges_of[component])
            continue
        result.split_components += 1
        groups = _Groups(records, members, cannot_of)
        for i, j, score in edges_of[component]:  # already must-first, strongest-first
            a, b = groups.find(i), groups.find(j)
            if a == b:
                continue
            reason = groups.conflict(a, b)
            if reason is None:
                groups.union(a, b)
            elif score == MUST:
                result.refused_must.append((i, j, reason))
        result.clusters.extend(groups.members.values())
        for i, j, score in edges_of[component]:
            if groups.find(i) == groups.find(j):
                result.kept_edges.append((i, j, score))
    return result
