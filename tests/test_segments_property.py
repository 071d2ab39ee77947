"""Random nested AND / OR / NOT over conditions whose members are known on the small world: the compiled
query's count and members equal the same boolean algebra done on Python sets (hypothesis draws the trees
and shrinks any disagreement to the smallest one)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from segment_world import NOW, small_world

from carkg.graph import Database
from carkg.segments import count, member_ids
from carkg.segments.engine import Request

REQ = Request(now=NOW)

# Leaves with their members on the small world (the same facts tests/test_segments.py checks one by one).
LEAVES: list[tuple[dict[str, Any], frozenset[str]]] = [
    ({"kind": "tag", "code": "high_purchase_intent"}, frozenset({"P1", "P2"})),
    ({"kind": "tag", "code": "high_purchase_intent", "minConfidence": 0.8}, frozenset({"P1"})),
    ({"kind": "tag", "code": "trusted", "on": "SERVED_BY"}, frozenset({"P3"})),
    ({"kind": "tag", "code": "vip"}, frozenset()),
    ({"kind": "attribute", "field": "city", "op": "eq", "value": "上海"}, frozenset({"P1", "P3"})),
    ({"kind": "attribute", "field": "city", "op": "in", "values": ["北京", "广州"]}, frozenset({"P2", "P4"})),
    ({"kind": "attribute", "field": "gender", "op": "isNull"}, frozenset({"P3", "P5"})),
    ({"kind": "event", "types": ["share_content"]}, frozenset({"P1", "P2"})),
    ({"kind": "event", "types": ["share_content"], "minCount": 3, "window": {"lastDays": 90}}, frozenset({"P1"})),
    ({"kind": "lead", "stages": ["booked", "test_drive"]}, frozenset({"P1", "P3"})),
    ({"kind": "vehicle"}, frozenset({"P1", "P4"})),
    ({"kind": "vehicle", "maxAgeYears": 3}, frozenset({"P4"})),
]
EVERYONE = frozenset({"P1", "P2", "P3", "P4", "P5"})

Tree = tuple[dict[str, Any], frozenset[str]]


def _combine(kind: str, children: list[Tree]) -> Tree:
    sets = [members for _, members in children]
    members = frozenset.intersection(*sets) if kind == "and" else frozenset.union(*sets)
    return {"kind": kind, "conditions": [c for c, _ in children]}, members


def _negate(child: Tree) -> Tree:
    return {"kind": "not", "condition": child[0]}, EVERYONE - child[1]


trees = st.recursive(
    st.sampled_from(LEAVES),
    lambda inner: st.one_of(
        st.builds(_combine, st.sampled_from(["and", "or"]), st.lists(inner, min_size=1, max_size=3)),
        st.builds(_negate, inner),
    ),
    max_leaves=8,
)


@pytest.fixture(scope="module")
def world(database: Database) -> Database:
    small = small_world(database)
    assert {r["p"] for r in small.query("MATCH (p:Person) RETURN p.oneId AS p")} == EVERYONE
    return small


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tree=trees)
def test_nested_boolean_segments_count_what_set_algebra_says(world: Database, tree: Tree) -> None:
    definition, expected = tree
    assert set(member_ids(world, definition, REQ)) == expected, definition
    assert count(world, definition, REQ) == len(expected), definition
