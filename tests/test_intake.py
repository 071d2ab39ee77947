"""Event intake and advisor alerts against a real graph: replays tag nothing twice, a chat message
becomes model and budget tags, malformed events are refused one by one while the rest land, and an
alert reaches the subscribed advisor's websocket (graphql-transport-ws) — and not another advisor's."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient, WebSocketTestSession

from carkg.api.app import create_app
from carkg.auth import Role
from carkg.auth.tokens import create_token
from carkg.graph import Database
from carkg.graph.database import Target
from carkg.settings import ApiSettings
from carkg.tags import load_library
from carkg.tags.intake import ingest
from carkg.tags.rules import ensure_definitions, load_rules

SUBSCRIBE = """subscription ($advisorId: ID) {
  advisorAlerts(advisorId: $advisorId) { advisorId customerKey customerName eventId eventType summary tags target }
}"""
INGEST = """mutation ($events: [EventInput!]!) {
  ingestEvents(events: $events) { received stored duplicates tagsApplied alertsSent rejected { index field reason } }
}"""


def _graph(db: Database) -> None:
    load_library(db)
    ensure_definitions(db, load_rules())
    db.query("""
        CREATE (d1:Dealer {dealerId: 'D1'}), (d2:Dealer {dealerId: 'D2'})
        CREATE (a1:Advisor {advisorId: 'A1', name: '李娜'})-[:WORKS_AT]->(d1)
        CREATE (a2:Advisor {advisorId: 'A2', name: '赵强'})-[:WORKS_AT]->(d2)
        CREATE (han:VehicleModel {code: 'BYD-HAN', nameZh: '汉'})
        CREATE (:VehicleModel {code: 'BYD-SEAL', nameZh: '海豹'})
        CREATE (inv:Material {materialId: 'MAT0002', title: '汉 专属试驾邀请函', kind: 'invitation'})-[:FEATURES]->(han)
        CREATE (bro:Material {materialId: 'MAT0001', title: '汉 2026款电子手册', kind: 'brochure'})-[:FEATURES]->(han)
        CREATE (:EventGroup {groupId: 'G1', name: '北京以旧换新专场2群', campaign: '以旧换新专场'})
        CREATE (:CustomerRecord {key: 'wecom:U1', system: 'wecom', sourceId: 'U1', name: '王伟'})-[:SERVED_BY]->(a1)
        CREATE (c2:CustomerRecord {key: 'dms:C2', system: 'dms', sourceId: 'C2', name: '张小明'})
        CREATE (c2)-[:HAS_LEAD]->(:Lead {leadId: 'L2', stage: 'new'})-[:ASSIGNED_TO]->(a2)
    """)


def ev(event_id: str, type: str = "open_material", **kw: Any) -> dict[str, Any]:
    return {"eventId": event_id, "type": type, "at": "2026-11-20T10:00:00+08:00", "externalUserId": "U1",
            "targetId": "MAT0002", **kw}


def test_a_replayed_event_yields_one_tag_and_one_assigned_change(db: Database) -> None:
    _graph(db)
    rules = load_rules()
    first = ingest(db, [ev("EV1")], rules)
    again = ingest(db, [ev("EV1")], rules)
    assert (first.stored, first.duplicates) == (1, 0) and first.tags_applied > 0
    assert (again.stored, again.duplicates, again.tags_applied, again.alerts) == (0, 1, 0, [])
    rows = db.query("""
        MATCH (ta:TagAssignment {tagCode: 'test_drive_interest'})-[:TAGS]->(:CustomerRecord {key: 'wecom:U1'})
        RETURN ta.evidence AS evidence, ta.source AS source, ta.confidence AS confidence,
               COUNT { (ta)<-[:OF_ASSIGNMENT]-(:TagChange {action: 'assigned'}) } AS assigned,
               COUNT { (ta)<-[:OF_ASSIGNMENT]-(:TagChange) } AS changes""")
    assert rows == [{"evidence": ["EV1"], "source": "rule", "confidence": 0.6, "assigned": 1, "changes": 1}]
    assert db.query("MATCH (e:Event {eventId: 'EV1'}) RETURN count(e) AS n")[0]["n"] == 1
    engaged = db.query("""
        MATCH (:CustomerRecord {key: 'wecom:U1'})-[ew:ENGAGED_WITH]->(:Material {materialId: 'MAT0002'})
        RETURN ew.count AS count""")
    assert engaged == [{"count": 1}]
    on_rel = db.query("""
        MATCH (ta:TagAssignment {relType: 'ENGAGED_WITH'})-[:TAGS_FROM]->(:CustomerRecord {key: 'wecom:U1'})
        RETURN ta.tagCode AS code, ta.confidence AS confidence""")
    assert on_rel == [{"code": "read_material", "confidence": 0.6}]
    interested = db.query("""
        MATCH (ta:TagAssignment {relType: 'INTERESTED_IN'})-[:TAGS_TO]->(vm:VehicleModel)
        RETURN ta.tagCode AS code, vm.code AS model, ta.source AS source""")
    assert interested == [{"code": "intended_model", "model": "BYD-HAN", "source": "rule"}]


def test_an_event_stored_by_an_intake_that_died_before_tagging_is_tagged_by_the_retry(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """The database (or the process) goes away between the store and the tag writes: the caller got no
    answer and sends the batch again, which must tag the stored event, not call it a duplicate."""
    _graph(db)
    rules = load_rules()
    message = {"eventId": "M1", "type": "chat_message", "at": "2026-11-20T10:05:00+08:00", "externalUserId": "U1",
               "advisorId": "A1", "direction": "in", "text": "汉 落地价多少，预算30万左右"}

    def die(*args: Any, **kwargs: Any) -> None:
        raise ConnectionError("the database went away")

    monkeypatch.setattr("carkg.tags.intake.tag_events", die)
    with pytest.raises(ConnectionError):
        ingest(db, [ev("EV1"), message], rules)
    assert db.query("MATCH (n) WHERE n:Event OR n:ChatMessage RETURN count(n) AS n")[0]["n"] == 2
    assert db.query("MATCH (ta:TagAssignment) RETURN count(ta) AS n")[0]["n"] == 0
    monkeypatch.undo()
    retry = ingest(db, [ev("EV1"), message], rules)
    assert (retry.stored, retry.duplicates) == (2, 0) and retry.tags[0] > 0 and retry.tags[1] > 0
    codes = {r["code"] for r in db.query("MATCH (ta:TagAssignment) RETURN ta.tagCode AS code")}
    assert {"test_drive_interest", "budget_band"} <= codes
    assert db.query("MATCH (e:Event {eventId: 'EV1'})<-[p:PERFORMED]-() RETURN count(p) AS n")[0]["n"] == 1
    third = ingest(db, [ev("EV1"), message], rules)
    assert (third.stored, third.duplicates, third.tags_applied) == (0, 2, 0)
    assert db.query("MATCH (n) WHERE n.untagged IS NOT NULL RETURN count(n) AS n")[0]["n"] == 0


def test_a_dealer_app_posts_events_only_for_its_own_customers(db: Database) -> None:
    """wecom:U1 is served at D1 and dms:C2 has a lead at D2: D2's app may post for dms:C2 and for a WeCom
    contact never seen, not for D1's contact, which is rejected as if it did not exist."""
    _graph(db)
    db.query("MATCH (l:Lead {leadId: 'L2'}), (d:Dealer {dealerId: 'D2'}) CREATE (l)-[:AT_DEALER]->(d)")
    d2 = {"all": False, "advisorId": None, "dealerId": "D2"}
    events = [ev("EV1"), ev("EV2", customerKey="dms:C2", externalUserId=None), ev("EV3", externalUserId="U-NEW")]
    events[1].pop("externalUserId")
    report = ingest(db, events, load_rules(), scopes=[d2, d2, d2])
    assert report.outcome == ["rejected", "stored", "stored"]
    assert [(r.index, r.field) for r in report.rejected] == [(0, "externalUserId")]
    assert "not one of your customers" in report.rejected[0].reason
    assert db.query("MATCH (e:Event {eventId: 'EV1'}) RETURN count(e) AS n")[0]["n"] == 0
    everyone = ingest(db, [ev("EV1")], load_rules())
    assert everyone.outcome == ["stored"]


def test_a_second_read_raises_confidence(db: Database) -> None:
    _graph(db)
    ingest(db, [ev("EV1")], load_rules())
    ingest(db, [ev("EV2", at="2026-11-20T11:00:00+08:00")], load_rules())
    rows = db.query("MATCH (ta:TagAssignment {tagCode: 'test_drive_interest'}) "
                    "RETURN ta.confidence AS c, ta.evidence AS e")
    assert rows == [{"c": 0.75, "e": ["EV2"]}]
    assert db.query("MATCH ()-[ew:ENGAGED_WITH]->() RETURN ew.count AS n") == [{"n": 2}]


def test_a_deprecated_tag_is_skipped_and_the_others_still_land(db: Database) -> None:
    _graph(db)
    db.query("MATCH (t:Tag {code: 'read_material'}) SET t.status = 'deprecated'")
    assert ingest(db, [ev("EV1")], load_rules()).stored == 1
    codes = {r["code"] for r in db.query("MATCH (ta:TagAssignment) RETURN ta.tagCode AS code")}
    assert "read_material" not in codes and {"intent_customer", "test_drive_interest", "intended_model"} <= codes


def test_the_chat_message_yields_model_and_budget_tags(db: Database) -> None:
    _graph(db)
    msg = ev("MSG1", "chat_message", targetId=None, advisorId="A1", direction="in", text="想看看汉，预算二十万左右")
    report = ingest(db, [msg], load_rules())
    assert report.stored == 1 and [a.tags for _, a in report.alerts] == [("budget_band", "intended_model")]
    on_record = {r["code"]: (r["value"], r["source"], r["evidence"]) for r in db.query("""
        MATCH (ta:TagAssignment)-[:TAGS]->(:CustomerRecord {key: 'wecom:U1'})
        RETURN ta.tagCode AS code, ta.value AS value, ta.source AS source, ta.evidence AS evidence""")}
    assert on_record["intended_model"] == (None, "keyword", ["MSG1"])
    assert on_record["budget_band"] == ("20-30万", "keyword", ["MSG1"])
    rel = db.query("""
        MATCH (r:CustomerRecord {key: 'wecom:U1'})-[:INTERESTED_IN]->(vm:VehicleModel)
        MATCH (ta:TagAssignment {relType: 'INTERESTED_IN'})-[:TAGS_FROM]->(r)
        RETURN vm.code AS model, ta.tagCode AS code, ta.source AS source""")
    assert rel == [{"model": "BYD-HAN", "code": "intended_model", "source": "keyword"}]
    outgoing = ev("MSG2", "chat_message", targetId=None, advisorId="A1", direction="out", text="海豹也不错，30w")
    assert ingest(db, [outgoing], load_rules()).tags_applied == 0  # the advisor's words are not the customer's


# -- over the API ---------------------------------------------------------------------------------------


@pytest.fixture
def api(db: Database, neo4j_target: Target) -> Iterator[tuple[TestClient, dict[str, str]]]:
    _graph(db)
    tokens = {
        "app": create_token(db, "t-app", Role.APP),
        "admin": create_token(db, "t-admin", Role.ADMIN),
        "a1": create_token(db, "t-a1", Role.ADVISOR, advisor_id="A1", dealer_id="D1"),
        "a2": create_token(db, "t-a2", Role.ADVISOR, advisor_id="A2", dealer_id="D2"),
    }
    with TestClient(create_app(neo4j_target, ApiSettings(token_cache_seconds=0))) as client:
        yield client, tokens


def post(client: TestClient, token: str | None, body: object) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post("/events", json=body, headers=headers)


def test_malformed_events_are_rejected_with_reasons_while_the_others_land(api: tuple[TestClient, dict]) -> None:
    client, tokens = api
    batch = [
        ev("GOOD1"),
        {"eventId": "BAD1", "at": "2026-11-20T10:00:00+08:00", "externalUserId": "U1"},
        ev("BAD2", at="yesterday"),
        ev("BAD3", customerKey="dms:NOPE", externalUserId=None),
        ev("BAD4", "click_material", targetId=None),
        "not an event",
        ev("GOOD2", "join_group", customerKey="dms:C2", externalUserId=None, targetId="G1"),
        ev("BAD5", colour="red"),
    ]
    batch[3].pop("externalUserId")
    batch[4].pop("targetId")
    resp = post(client, tokens["app"], batch)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert (body["received"], body["stored"]) == (8, 2)
    assert {(r["index"], r["field"]) for r in body["rejected"]} == {
        (1, "type"), (2, "at"), (3, "customerKey"), (4, "targetId"), (5, "(event)"), (7, "colour")}
    assert all(r["reason"] for r in body["rejected"])
    stored = {r["id"] for r in client.app.state.events.db.query("MATCH (e:Event) RETURN e.eventId AS id")}
    assert stored == {"GOOD1", "GOOD2"}
    assert post(client, tokens["app"], batch).json()["stored"] == 0  # the retry lands nothing new


def test_the_batch_endpoint_wants_an_intake_token_and_a_list(api: tuple[TestClient, dict]) -> None:
    client, tokens = api
    assert post(client, None, [ev("E1")]).status_code == 401
    assert post(client, "carkg_nonsense", [ev("E1")]).status_code == 401
    assert post(client, tokens["a1"], [ev("E1")]).status_code == 403
    resp = post(client, tokens["app"], {"events": []})
    assert resp.status_code == 400 and "JSON list" in resp.json()["reason"]


def test_the_ingest_events_mutation(api: tuple[TestClient, dict]) -> None:
    client, tokens = api
    events = [ev("M1"), ev("M2", type="teleport")]
    resp = client.post("/graphql", json={"query": INGEST, "variables": {"events": events}},
                       headers={"Authorization": f"Bearer {tokens['app']}"})
    out = resp.json()["data"]["ingestEvents"]
    assert (out["received"], out["stored"], out["alertsSent"]) == (2, 1, 1)
    assert [(r["index"], r["field"]) for r in out["rejected"]] == [(1, "type")]
    denied = client.post("/graphql", json={"query": INGEST, "variables": {"events": events}},
                         headers={"Authorization": f"Bearer {tokens['a1']}"}).json()
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def _subscribe(ws: WebSocketTestSession, token: str, advisor_id: str | None = None) -> None:
    ws.send_json({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}})
    assert ws.receive_json()["type"] == "connection_ack"
    ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE,
                                                              "variables": {"advisorId": advisor_id}}})


def _wait_subscribed(client: TestClient, *advisors: str) -> None:
    import time

    broker = client.app.state.events.broker
    deadline = time.monotonic() + 5
    while any(broker.subscribers(a) == 0 for a in advisors):
        assert time.monotonic() < deadline, "subscriptions did not register"
        time.sleep(0.01)


def test_an_alert_reaches_the_subscribed_advisor_and_no_one_else(api: tuple[TestClient, dict]) -> None:
    client, tokens = api
    proto = ["graphql-transport-ws"]
    with client.websocket_connect("/graphql", subprotocols=proto) as ws1, \
         client.websocket_connect("/graphql", subprotocols=proto) as ws2:
        _subscribe(ws1, tokens["a1"])
        _subscribe(ws2, tokens["admin"], "A2")
        _wait_subscribed(client, "A1", "A2")
        assert post(client, tokens["app"], [ev("E1", targetId="MAT0001")]).json()["alertsSent"] == 1
        got = ws1.receive_json()
        assert got["type"] == "next", got
        alert = got["payload"]["data"]["advisorAlerts"]
        assert alert["advisorId"] == "A1" and alert["customerKey"] == "wecom:U1" and alert["customerName"] == "王*"
        assert alert["summary"].startswith("customer 王* is reading 汉 2026款电子手册")
        assert {"intended_model", "read_material"} <= set(alert["tags"])
        # A2's customer acts next: A2's first alert is that one, so A1's never reached A2.
        post(client, tokens["app"], [ev("E2", "join_group", customerKey="dms:C2", externalUserId=None, targetId="G1")])
        other = ws2.receive_json()["payload"]["data"]["advisorAlerts"]
        assert (other["advisorId"], other["eventId"], other["customerName"]) == ("A2", "E2", "张**")
        assert "trade_in" in other["tags"]


def test_advisors_cannot_follow_someone_elses_alerts(api: tuple[TestClient, dict]) -> None:
    client, tokens = api
    with client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
        _subscribe(ws, tokens["a1"], "A2")
        msg = ws.receive_json()
        assert msg["type"] in ("error", "next")
        errors = msg["payload"] if msg["type"] == "error" else msg["payload"]["errors"]
        assert "only their own alerts" in errors[0]["message"]


def test_coalesced_requests_get_their_own_reports() -> None:
    from datetime import UTC, datetime

    from carkg.tags.alerts import Alert
    from carkg.tags.intake import IntakeReport, Rejection

    at = datetime(2026, 11, 20, tzinfo=UTC)
    alert = Alert("A1", "wecom:U1", "王*", "E3", "open_material", at, "s")
    whole = IntakeReport(4, ["stored", "rejected", "duplicate", "stored"], [Rejection(1, "type", "bad")],
                         [2, 0, 0, 3], [(3, alert)])
    first, second = whole.part(0, 2), whole.part(2, 2)
    assert (first.stored, first.duplicates, first.tags_applied) == (1, 0, 2)
    assert first.rejected == [Rejection(1, "type", "bad")]
    assert (second.stored, second.duplicates, second.tags_applied, second.alerts) == (1, 1, 3, [(1, alert)])


def test_a_subscriber_that_stops_reading_loses_its_oldest_alerts_without_blocking() -> None:
    import asyncio
    from datetime import UTC, datetime

    from carkg.tags.alerts import Alert, AlertBroker

    async def scenario() -> list[str]:
        broker = AlertBroker(queue_size=2)
        async with broker.subscribe("A1") as q:
            for i in range(3):
                broker.publish(Alert("A1", "k", "王*", f"E{i}", "open_material", datetime.now(UTC), "s"))
            broker.publish(Alert("A2", "k", "王*", "X", "open_material", datetime.now(UTC), "s"))
            got = [q.get_nowait().event_id for _ in range(q.qsize())]
        assert broker.dropped == 1 and broker.subscribers("A1") == 0
        return got

    assert asyncio.run(scenario()) == ["E1", "E2"]
