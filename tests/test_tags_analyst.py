"""The analyst tag queries run as they are in Neo4j Browser: their `:param` lines are the parameters."""

from __future__ import annotations

import pytest

from carkg.graph import Database, cypher
from carkg.tags import Assignment, NodeTarget, RelationshipTarget, Removal, assign, load_library, unassign
from carkg.web.guide import analyst_query

FILES = ["tag_library", "tagged_with", "person_tags", "tag_history", "tag_health", "tags_on_customer",
         "tags_on_relationship"]


def browser_params(db: Database, name: str) -> dict[str, object]:
    """Evaluate each `:param x => expr` comment the way Browser would (as a Cypher expression)."""
    return {key: db.query(f"RETURN {expr} AS v")[0]["v"]
            for key, expr in analyst_query(name.removeprefix("analyst/")).params.items()}


@pytest.fixture
def tagged(db: Database) -> Database:
    db.query("""
        CREATE (p:Person {oneId: 'OID-0000001'})
        CREATE (r1:CustomerRecord {key: 'dms:C0000001', name: '王伟'})-[:RESOLVED_TO]->(p)
        CREATE (r2:CustomerRecord {key: 'leads:L9', name: '王伟'})-[:RESOLVED_TO]->(p)
        CREATE (r1)-[:SERVED_BY]->(:Advisor {advisorId: 'A0001', name: '李娜'})
    """)
    load_library(db)
    r1, r2 = NodeTarget(label="CustomerRecord", key="dms:C0000001"), NodeTarget(label="CustomerRecord", key="leads:L9")
    served = RelationshipTarget(rel_type="SERVED_BY", start_key="dms:C0000001", end_key="A0001")
    assign(db, [
        Assignment(code="budget_band", target=r1, value="10-15万", confidence=0.8, actor="t"),
        Assignment(code="budget_band", target=r2, value="20-30万", confidence=0.6, actor="t"),
        Assignment(code="trusts_advisor", target=served, actor="advisor:A0001"),
        Assignment(code="vip", target=r1, actor="t"),
    ])
    unassign(db, [Removal(code="vip", target=r1, actor="t")])
    return db


def test_each_analyst_tag_query_runs_with_its_browser_params(tagged: Database) -> None:
    results = {name: tagged.query(cypher(f"analyst/{name}"), browser_params(tagged, f"analyst/{name}"))
               for name in FILES}
    assert [(r["customer"], r["value"]) for r in results["tagged_with"]] == [
        ("dms:C0000001", "10-15万"), ("leads:L9", "20-30万")]
    person = {(r["tag"], r["value"]): r["records"] for r in results["person_tags"]}
    assert person == {("budget_band", "10-15万"): ["dms:C0000001"], ("budget_band", "20-30万"): ["leads:L9"],
                      ("trusts_advisor", None): ["dms:C0000001"]}
    assert [r["action"] for r in results["tag_history"] if r["tag"] == "vip"] == ["assigned", "removed"]
    health = {r["tag"]: r for r in results["tag_health"]}
    assert (health["budget_band"]["live"], health["budget_band"]["coveragePct"],
            health["budget_band"]["conflictingPersons"]) == (2, 100.0, 1)
    assert {r["code"]: r["live"] for r in results["tag_library"]}["vip"] == 0
    assert [r["tag"] for r in results["tags_on_relationship"]] == ["trusts_advisor"]
