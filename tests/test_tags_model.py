"""Tags sit on relationships as well as nodes, with provenance, and re-tagging updates in place."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from carkg.graph import Database, cypher


def _graph(db: Database) -> None:
    db.query("""
        CREATE (r:CustomerRecord {key: 'dms:C1', name: '王伟'})
               -[:SERVED_BY]->(a:Advisor {advisorId: 'A1', name: '李娜'})
        CREATE (:CustomerRecord {key: 'dms:C2', name: '张伟'})-[:SERVED_BY]->(a)
    """)


def tag(code: str, **kw: object) -> dict[str, object]:
    return {"code": code, "value": None, "source": "manual", "actor": "advisor:A1", "confidence": 0.9,
            "at": datetime.now(UTC), "expiresAt": None, "evidence": None, **kw}


def test_a_tag_on_the_customer_advisor_relationship_carries_provenance(db: Database) -> None:
    _graph(db)
    db.query(cypher("tags/tag_served_by"), {"key": "dms:C1", "advisorId": "A1", "tag": tag("trusts_advisor")})
    db.query(cypher("tags/tag_customer_record"), {"key": "dms:C1", "tag": tag("high_intent", source="rule")})

    rows = db.query(cypher("analyst/tags_on_relationship"), {"advisorId": "A1"})
    assert [(r["customer"], r["tag"], r["source"], r["actor"], r["confidence"]) for r in rows] == [
        ("dms:C1", "trusts_advisor", "manual", "advisor:A1", 0.9)
    ]
    on_customer = {r["tag"]: r["on"] for r in db.query(cypher("analyst/tags_on_customer"), {"key": "dms:C1"})}
    assert on_customer == {"trusts_advisor": "SERVED_BY", "high_intent": "(on the customer)"}


def test_tagging_again_updates_and_expired_tags_stop_matching(db: Database) -> None:
    _graph(db)
    params = {"key": "dms:C2", "advisorId": "A1"}
    db.query(cypher("tags/tag_served_by"), {**params, "tag": tag("trusts_advisor", confidence=0.5)})
    db.query(cypher("tags/tag_served_by"), {**params, "tag": tag("trusts_advisor", confidence=0.8)})
    assert db.query("MATCH (ta:TagAssignment) RETURN count(ta) AS n, max(ta.confidence) AS c") == [{"n": 1, "c": 0.8}]

    past = datetime.now(UTC) - timedelta(days=1)
    db.query(cypher("tags/tag_served_by"), {**params, "tag": tag("trusts_advisor", expiresAt=past)})
    assert db.query(cypher("analyst/tags_on_relationship"), {"advisorId": "A1"}) == []


def test_a_relationship_that_does_not_exist_cannot_be_tagged(db: Database) -> None:
    _graph(db)
    rows = db.query(cypher("tags/tag_served_by"), {"key": "dms:C1", "advisorId": "NOPE", "tag": tag("x")})
    assert rows == []
    assert db.query("MATCH (ta:TagAssignment) RETURN count(ta) AS n")[0]["n"] == 0
