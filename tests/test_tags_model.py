"""Tags sit on relationships as well as nodes, with provenance, and re-tagging updates in place."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from carkg.graph import Database, cypher
from carkg.tags import Assignment, NodeTarget, RelationshipTarget, TagDefinition, assign, define


def _graph(db: Database) -> None:
    db.query("""
        CREATE (r:CustomerRecord {key: 'dms:C1', name: '王伟'})
               -[:SERVED_BY]->(a:Advisor {advisorId: 'A1', name: '李娜'})
        CREATE (:CustomerRecord {key: 'dms:C2', name: '张伟'})-[:SERVED_BY]->(a)
    """)
    define(db, [
        TagDefinition(code="trusts_advisor", name_zh="信任顾问", name_en="Trusts advisor", category="behaviour"),
        TagDefinition(code="high_intent", name_zh="高意向", name_en="High intent", category="intent"),
    ])


def served_by(key: str, code: str, **kw: object) -> Assignment:
    return Assignment.model_validate({
        "code": code, "target": RelationshipTarget(rel_type="SERVED_BY", start_key=key, end_key="A1"),
        "actor": "advisor:A1", "confidence": 0.9, **kw,
    })


def test_a_tag_on_the_customer_advisor_relationship_carries_provenance(db: Database) -> None:
    _graph(db)
    assign(db, [
        served_by("dms:C1", "trusts_advisor"),
        Assignment(code="high_intent", target=NodeTarget(label="CustomerRecord", key="dms:C1"), source="rule",
                   actor="rule:r1", confidence=0.9),
    ])

    rows = db.query(cypher("analyst/tags_on_relationship"), {"advisorId": "A1"})
    assert [(r["customer"], r["tag"], r["source"], r["actor"], r["confidence"]) for r in rows] == [
        ("dms:C1", "trusts_advisor", "manual", "advisor:A1", 0.9)
    ]
    on_customer = {r["tag"]: r["on"] for r in db.query(cypher("analyst/tags_on_customer"), {"key": "dms:C1"})}
    assert on_customer == {"trusts_advisor": "SERVED_BY", "high_intent": "(on the customer)"}


def test_tagging_again_updates_and_expired_tags_stop_matching(db: Database) -> None:
    _graph(db)
    assign(db, [served_by("dms:C2", "trusts_advisor", confidence=0.5)])
    assign(db, [served_by("dms:C2", "trusts_advisor", confidence=0.8)])
    assert db.query("MATCH (ta:TagAssignment) RETURN count(ta) AS n, max(ta.confidence) AS c") == [{"n": 1, "c": 0.8}]

    past = datetime.now(UTC) - timedelta(days=1)
    assign(db, [served_by("dms:C2", "trusts_advisor", expires_at=past)])
    assert db.query(cypher("analyst/tags_on_relationship"), {"advisorId": "A1"}) == []


def test_a_relationship_that_does_not_exist_cannot_be_tagged(db: Database) -> None:
    _graph(db)
    target = RelationshipTarget(rel_type="SERVED_BY", start_key="dms:C1", end_key="NOPE")
    [result] = assign(db, [Assignment(code="trusts_advisor", target=target, actor="advisor:A1")])
    assert result.status == "missing_target"
    assert db.query("MATCH (ta:TagAssignment) RETURN count(ta) AS n")[0]["n"] == 0
