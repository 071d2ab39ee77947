"""Tag health on a small hand-built graph: every figure checked by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from carkg.graph import Database
from carkg.tags import Assignment, NodeTarget, Removal, TagDefinition, assign, define, expire, unassign
from carkg.tags.health import health


def _graph(db: Database) -> None:
    now = datetime.now(UTC)  # at test time, not import time: a slow suite must not age the figures
    db.query("""
        CREATE (p1:Person {oneId: 'P1'}), (p2:Person {oneId: 'P2'})
        CREATE (:CustomerRecord {key: 'r1'})-[:RESOLVED_TO]->(p1), (:CustomerRecord {key: 'r2'})-[:RESOLVED_TO]->(p1)
        CREATE (:CustomerRecord {key: 'r3'})-[:RESOLVED_TO]->(p2), (:CustomerRecord {key: 'r4'})
    """)
    define(db, [
        TagDefinition(code="budget_band", name_zh="预算", name_en="Budget", category="intent", value_type="enum",
                      values=["<10万", "10-15万"]),
        TagDefinition(code="vip", name_zh="贵宾", name_en="VIP", category="value"),
        TagDefinition(code="unused", name_zh="未用", name_en="Unused", category="value"),
    ])

    def budget(key: str, value: str, confidence: float, days_ago: float, **kw: object) -> Assignment:
        return Assignment.model_validate({
            "code": "budget_band", "target": NodeTarget(label="CustomerRecord", key=key), "value": value,
            "confidence": confidence, "actor": "test", "at": now - timedelta(days=days_ago), **kw})

    assign(db, [
        budget("r1", "<10万", 0.5, 10), budget("r2", "10-15万", 0.9, 5),  # P1: two values → a conflict
        budget("r3", "<10万", 0.7, 2),
        budget("r4", "10-15万", 0.1, 1, expires_at=now - timedelta(hours=1)),  # expired
        Assignment(code="vip", target=NodeTarget(label="CustomerRecord", key="r1"), actor="test"),
    ])
    unassign(db, [Removal(code="vip", target=NodeTarget(label="CustomerRecord", key="r1"), actor="test")])


def test_health_figures_on_a_hand_built_graph(db: Database) -> None:
    _graph(db)
    by_code = {h.code: h for h in health(db)}
    b = by_code["budget_band"]
    assert (b.live, b.expired, b.ever_assigned, b.customer_records) == (3, 1, 4, 3)
    assert b.coverage_share == 0.75 and b.share_expired == 0.25
    assert b.conflicting_persons == 1
    assert (b.confidence_min, b.confidence_max) == (0.5, 0.9)
    assert b.confidence_avg == pytest.approx(0.7)
    assert (b.confidence_p10, b.confidence_p90) == (pytest.approx(0.54), pytest.approx(0.86))
    assert b.age_seconds == pytest.approx(86400, abs=60)  # last change: r4 assigned a day ago

    v = by_code["vip"]
    assert (v.live, v.expired, v.ever_assigned, v.share_expired, v.confidence_avg) == (0, 0, 1, None, None)
    assert v.age_seconds is not None and v.age_seconds < 60  # removed just now

    u = by_code["unused"]
    assert (u.live, u.ever_assigned, u.last_change_at, u.coverage_share) == (0, 0, None, 0.0)

    expire(db)
    assert health(db, codes=["budget_band"])[0].age_seconds < 60  # the expiry is the latest change


def test_health_only_shows_tags_the_viewer_may_see(db: Database) -> None:
    define(db, [TagDefinition(code="mine", name_zh="m", name_en="m", category="value", scope="advisor",
                              owner_id="A1")])
    assert [h.code for h in health(db, viewer={"admin": False, "advisorId": "A2", "dealerId": "D1"})] == []
    assert [h.code for h in health(db, viewer={"admin": False, "advisorId": "A1", "dealerId": "D1"})] == ["mine"]
