"""`carkg.tags.assign` / `unassign` / `expire`: the one way tags get on and off, with history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from carkg.graph import Database
from carkg.tags import (
    Assignment,
    NodeTarget,
    RelationshipTarget,
    Removal,
    TagDefinition,
    TagInputError,
    assign,
    define,
    expire,
    unassign,
)

NODES = {
    "CustomerRecord": "dms:C1", "Person": "P1", "Vehicle": "VIN1", "Lead": "L1", "Advisor": "A1",
    "Dealer": "D1", "Material": "M1", "VehicleModel": "MODEL1",
}


def _graph(db: Database) -> None:
    db.query("""
        CREATE (r:CustomerRecord {key: 'dms:C1'})-[:RESOLVED_TO]->(:Person {oneId: 'P1'})
        CREATE (r)-[:SERVED_BY]->(a:Advisor {advisorId: 'A1'})-[:WORKS_AT]->(:Dealer {dealerId: 'D1'})
        CREATE (r)-[:OWNS]->(:Vehicle {vin: 'VIN1'})
        CREATE (r)-[:HAS_LEAD]->(:Lead {leadId: 'L1'})
        CREATE (r)-[:INTERESTED_IN]->(:VehicleModel {code: 'MODEL1'})
        CREATE (r)-[:ENGAGED_WITH {count: 2}]->(:Material {materialId: 'M1'})
    """)
    define(db, [
        TagDefinition(code="vip", name_zh="贵宾", name_en="VIP", category="value"),
        TagDefinition(code="budget_band", name_zh="购车预算", name_en="Budget band", category="intent",
                      value_type="enum", values=["<10万", "10-15万"]),
        TagDefinition(code="old_tag", name_zh="旧", name_en="Old", category="attribute", status="deprecated"),
    ])


def node(label: str, code: str = "vip", **kw: object) -> Assignment:
    return Assignment.model_validate({"code": code, "target": {"label": label, "key": NODES[label]},
                                      "actor": "test", **kw})


def rel(rel_type: str, end_key: str, code: str = "vip", **kw: object) -> Assignment:
    target = RelationshipTarget(rel_type=rel_type, start_key="dms:C1", end_key=end_key)  # type: ignore[arg-type]
    return Assignment.model_validate({"code": code, "target": target, "actor": "test", **kw})


def history(db: Database, assignment_id: str) -> list[str]:
    rows = db.query("""MATCH (:TagAssignment {id: $id})<-[:OF_ASSIGNMENT]-(c:TagChange)
                       RETURN c.action AS action ORDER BY c.at, elementId(c)""", {"id": assignment_id})
    return [r["action"] for r in rows]


def test_every_allowed_node_and_relationship_can_be_tagged_in_one_batch(db: Database) -> None:
    _graph(db)
    batch = [node(label) for label in NODES] + [
        rel("SERVED_BY", "A1"), rel("OWNS", "VIN1"), rel("HAS_LEAD", "L1"), rel("INTERESTED_IN", "MODEL1"),
        rel("ENGAGED_WITH", "M1"),
    ]
    results = assign(db, batch)
    assert [r.status for r in results] == ["assigned"] * 13
    assert results[0].id == "CustomerRecord|dms:C1|vip"
    assert results[8].id == "SERVED_BY|dms:C1|A1|vip"
    counts = db.query("""MATCH (ta:TagAssignment)-[:OF_TAG]->(:Tag {code: 'vip'})
                         RETURN ta.targetKind AS kind, count(*) AS n, count{(ta)-[:TAGS]->()} AS x ORDER BY kind""")
    assert [(r["kind"], r["n"]) for r in counts] == [("node", 8), ("relationship", 5)]
    ends = db.query("""MATCH (ta:TagAssignment {relType: 'ENGAGED_WITH'})-[:TAGS_FROM]->(s), (ta)-[:TAGS_TO]->(e)
                       RETURN s.key AS s, e.materialId AS e""")
    assert ends == [{"s": "dms:C1", "e": "M1"}]


def test_assigning_twice_gives_one_assignment_with_history(db: Database) -> None:
    _graph(db)
    first = assign(db, [node("CustomerRecord", "budget_band", value="<10万", confidence=0.6)])
    second = assign(db, [node("CustomerRecord", "budget_band", value="10-15万", confidence=0.9)])
    assert (first[0].status, second[0].status) == ("assigned", "updated")
    rows = db.query("MATCH (ta:TagAssignment) RETURN ta.id AS id, ta.value AS value, ta.confidence AS c")
    assert rows == [{"id": "CustomerRecord|dms:C1|budget_band", "value": "10-15万", "c": 0.9}]
    assert history(db, "CustomerRecord|dms:C1|budget_band") == ["assigned", "updated"]


def test_a_reassign_that_changes_nothing_adds_no_history(db: Database) -> None:
    _graph(db)
    first = assign(db, [node("CustomerRecord", "budget_band", value="10-15万", confidence=0.6),
                        rel("SERVED_BY", "A1")])
    again = assign(db, [node("CustomerRecord", "budget_band", value="10-15万", confidence=0.6),
                        rel("SERVED_BY", "A1")])
    assert [r.status for r in first] == ["assigned", "assigned"]
    assert [r.status for r in again] == ["unchanged", "unchanged"]
    assert history(db, "CustomerRecord|dms:C1|budget_band") == ["assigned"]
    assert history(db, "SERVED_BY|dms:C1|A1|vip") == ["assigned"]
    changed = assign(db, [node("CustomerRecord", "budget_band", value="10-15万", confidence=0.8)])
    assert changed[0].status == "updated"
    assert history(db, "CustomerRecord|dms:C1|budget_band") == ["assigned", "updated"]


def test_missing_targets_are_reported_per_row_and_the_rest_is_written(db: Database) -> None:
    _graph(db)
    results = assign(db, [
        node("Vehicle"),
        Assignment(code="vip", target=NodeTarget(label="Vehicle", key="NO-SUCH-VIN"), actor="t"),
        rel("OWNS", "A1"),  # the record owns VIN1, not A1
    ])
    assert [(r.row, r.status) for r in results] == [(0, "assigned"), (1, "missing_target"), (2, "missing_target")]
    assert db.query("MATCH (ta:TagAssignment) RETURN count(*) AS n") == [{"n": 1}]


def test_unknown_deprecated_codes_and_bad_values_name_the_row_and_nothing_is_written(db: Database) -> None:
    _graph(db)
    with pytest.raises(TagInputError) as err:
        assign(db, [node("Lead"), node("Lead", "nope"), node("Lead", "old_tag"),
                    node("Lead", "budget_band", value="x")])
    assert err.value.problems == [
        "row 1: code: unknown tag code 'nope'",
        "row 2: code: tag 'old_tag' is deprecated",
        "row 3: value: 'x' is not one of <10万, 10-15万 (tag 'budget_band')",
    ]
    assert db.query("MATCH (ta:TagAssignment) RETURN count(*) AS n") == [{"n": 0}]


def test_bad_shapes_are_rejected_naming_the_field() -> None:
    with pytest.raises(ValidationError, match="confidence"):
        Assignment(code="vip", target=NodeTarget(label="Vehicle", key="V"), actor="t", confidence=1.5)
    with pytest.raises(ValidationError, match="label"):
        NodeTarget(label="Phone", key="+86")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="rel_type"):
        RelationshipTarget(rel_type="HAS_PHONE", start_key="a", end_key="b")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="at"):
        Assignment(code="vip", target=NodeTarget(label="Vehicle", key="V"), actor="t", at=datetime(2026, 1, 1))
    with pytest.raises(ValidationError, match="values"):
        TagDefinition(code="x", name_zh="x", name_en="x", category="intent", value_type="enum")
    with pytest.raises(ValidationError, match="ownerId"):
        TagDefinition(code="x", name_zh="x", name_en="x", category="intent", scope="advisor")


def test_unassign_keeps_the_history_and_a_later_assign_starts_again(db: Database) -> None:
    _graph(db)
    assign(db, [node("Advisor")])
    removal = Removal(code="vip", target=NodeTarget(label="Advisor", key="A1"), actor="advisor:A1")
    assert [r.status for r in unassign(db, [removal, removal.model_copy(update={"code": "budget_band"})])] == [
        "removed", "not_assigned"]
    assert [r.status for r in unassign(db, [removal])] == ["not_assigned"]
    row = db.query("MATCH (ta:TagAssignment) RETURN ta.removedAt IS NOT NULL AS removed")
    assert row == [{"removed": True}]
    assert [r.status for r in assign(db, [node("Advisor")])] == ["assigned"]
    assert history(db, "Advisor|A1|vip") == ["assigned", "removed", "assigned"]


def test_the_same_target_twice_in_one_batch_keeps_the_last_row(db: Database) -> None:
    _graph(db)
    results = assign(db, [node("Dealer", confidence=0.2), node("Dealer", confidence=0.7)])
    assert [r.status for r in results] == ["superseded", "assigned"]
    assert db.query("MATCH (ta:TagAssignment) RETURN ta.confidence AS c") == [{"c": 0.7}]


def test_expiry_is_recorded_once_and_reassigning_revives_the_tag(db: Database) -> None:
    _graph(db)
    past = datetime.now(UTC) - timedelta(hours=1)
    assign(db, [node("Material", expires_at=past), node("Dealer", expires_at=past + timedelta(days=2))])
    assert expire(db) == 1
    assert expire(db) == 0
    assert history(db, "Material|M1|vip") == ["assigned", "expired"]
    assert [r.status for r in assign(db, [node("Material")])] == ["assigned"]  # was not live: assigned again
    assert db.query("MATCH (ta:TagAssignment {id: 'Material|M1|vip'}) RETURN ta.expiredAt AS e") == [{"e": None}]
