"""Small hand-built graphs for the segment tests: persons, their records and facts, written the way the
loaders, the identity resolver and the tag API write them (graph contracts in the brief)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from carkg.graph import Database
from carkg.segments.dates import CHINA

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=CHINA)


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


class World:
    def __init__(self, db: Database) -> None:
        self.db = db

    def tag_library(self, *codes: str, scope: str = "oem", owner_id: str | None = None) -> None:
        self.db.query("UNWIND $codes AS code MERGE (t:Tag {code: code}) SET t.scope = $scope, t.ownerId = $owner, "
                      "t.status = 'active', t.nameEn = code", {"codes": list(codes), "scope": scope, "owner": owner_id})

    def person(self, one_id: str, *records: dict[str, object]) -> None:
        """A person and its records; a record is {key, system?, city?, gender?, birthDate?, name?}."""
        self.db.query(
            "MERGE (p:Person {oneId: $oneId}) SET p.recordCount = size($records) "
            "WITH p UNWIND $records AS rec "
            "MERGE (r:CustomerRecord {key: rec.key}) SET r += rec "
            "MERGE (r)-[:RESOLVED_TO {method: 'score', score: 1.0, runId: 'test', at: datetime()}]->(p)",
            {"oneId": one_id, "records": [{"system": "dms", **rec} for rec in records]},
        )

    def unresolved(self, key: str) -> None:
        self.db.query("MERGE (r:CustomerRecord {key: $key}) SET r.system = 'leads'", {"key": key})

    def phone(self, key: str, e164: str, masked: str) -> None:
        self.db.query("MATCH (r:CustomerRecord {key: $key}) MERGE (ph:Phone {e164: $e}) SET ph.masked = $m "
                      "MERGE (r)-[:HAS_PHONE]->(ph)", {"key": key, "e": e164, "m": masked})

    def event(self, key: str, event_id: str, type: str, at: datetime, channel: str | None = None) -> None:
        self.db.query("MATCH (r:CustomerRecord {key: $key}) "
                      "CREATE (r)-[:PERFORMED]->(:Event {eventId: $id, type: $type, at: $at, channel: $channel})",
                      {"key": key, "id": event_id, "type": type, "at": at, "channel": channel})

    def lead(self, key: str, lead_id: str, stage: str, channel: str, created: datetime,
             model: str | None = None, score: int | None = None, grade: str | None = None) -> None:
        self.db.query(
            "MATCH (r:CustomerRecord {key: $key}) "
            "CREATE (r)-[:HAS_LEAD]->(l:Lead {leadId: $id, stage: $stage, channel: $channel, createdAt: $at, "
            "                                 score: $score, grade: $grade}) "
            "WITH l WHERE $model IS NOT NULL MERGE (vm:VehicleModel {code: $model}) MERGE (l)-[:INTERESTED_IN]->(vm)",
            {"key": key, "id": lead_id, "stage": stage, "channel": channel, "at": created, "model": model,
             "score": score, "grade": grade})

    def model(self, code: str, brand: str, segment: str = "sedan", energy: str = "BEV") -> None:
        self.db.query("MERGE (b:Brand {code: $brand}) MERGE (vm:VehicleModel {code: $code}) "
                      "SET vm.segment = $segment, vm.energy = $energy MERGE (vm)-[:OF_BRAND]->(b)",
                      {"code": code, "brand": brand, "segment": segment, "energy": energy})

    def owns(self, key: str, vin: str, model: str, since: date) -> None:
        self.db.query("MATCH (r:CustomerRecord {key: $key}) MERGE (v:Vehicle {vin: $vin}) "
                      "MERGE (vm:VehicleModel {code: $model}) MERGE (v)-[:OF_MODEL]->(vm) "
                      "MERGE (r)-[o:OWNS]->(v) SET o.since = $since",
                      {"key": key, "vin": vin, "model": model, "since": since})

    def advisor(self, key: str, advisor_id: str, dealer_id: str) -> None:
        self.db.query("MATCH (r:CustomerRecord {key: $key}) MERGE (d:Dealer {dealerId: $d}) "
                      "MERGE (a:Advisor {advisorId: $a}) MERGE (a)-[:WORKS_AT]->(d) MERGE (r)-[:SERVED_BY]->(a)",
                      {"key": key, "a": advisor_id, "d": dealer_id})

    def tag(self, key: str, code: str, *, value: object = True, confidence: float = 0.9, source: str = "rule",
            removed: bool = False, expires: datetime | None = None) -> None:
        """A node tag on a record, with the deterministic id of the tag contract."""
        self.db.query(
            "MATCH (r:CustomerRecord {key: $key}) MATCH (t:Tag {code: $code}) "
            "MERGE (ta:TagAssignment {id: 'CustomerRecord|' + $key + '|' + $code}) "
            "SET ta.tagCode = $code, ta.targetKind = 'node', ta.value = $value, ta.source = $source, "
            "    ta.actor = 'test', ta.confidence = $confidence, ta.at = datetime(), ta.expiresAt = $expires, "
            "    ta.removedAt = CASE WHEN $removed THEN datetime() END "
            "MERGE (ta)-[:OF_TAG]->(t) MERGE (ta)-[:TAGS]->(r)",
            {"key": key, "code": code, "value": value, "source": source, "confidence": confidence,
             "removed": removed, "expires": expires})

    def served_by_tag(self, key: str, advisor_id: str, code: str, value: object = True) -> None:
        self.db.query(
            "MATCH (r:CustomerRecord {key: $key})-[:SERVED_BY]->(a:Advisor {advisorId: $a}) "
            "MATCH (t:Tag {code: $code}) "
            "MERGE (ta:TagAssignment {id: 'SERVED_BY|' + $key + '|' + $a + '|' + $code}) "
            "SET ta.tagCode = $code, ta.targetKind = 'relationship', ta.relType = 'SERVED_BY', ta.value = $value, "
            "    ta.source = 'manual', ta.actor = 'test', ta.confidence = 1.0, ta.at = datetime() "
            "MERGE (ta)-[:OF_TAG]->(t) MERGE (ta)-[:TAGS_FROM]->(r) MERGE (ta)-[:TAGS_TO]->(a)",
            {"key": key, "a": advisor_id, "code": code, "value": value})


def small_world(database: Database) -> Database:
    """Five persons (P1–P5) and an unresolved record; tests/test_segments.py lists who matches what."""
    database.wipe()
    database.apply_schema()
    w = World(database)
    w.tag_library("high_purchase_intent", "high_purchasing_power", "vip", "family", "trusted")
    w.tag_library("dealer_only", scope="dealer", owner_id="D9")
    w.model("BYD-HAN", "BYD", "sedan", "BEV")
    w.model("BYD-TANG", "BYD", "suv", "PHEV")
    w.model("NIO-ET5", "NIO", "sedan", "BEV")

    w.person("P1", {"key": "dms:1", "city": "上海", "gender": "F", "birthDate": date(1990, 5, 1), "name": "张三丰"})
    w.phone("dms:1", "+8613800000001", "138****0001")
    w.tag("dms:1", "high_purchase_intent", value="A", confidence=0.9, source="rule")
    for i, days in enumerate((5, 20, 80)):
        w.event("dms:1", f"e1-{i}", "share_content", ago(days), "moments")
    w.event("dms:1", "e1-v", "visit_touchpoint", ago(10), "miniprogram")
    w.event("dms:1", "e1-t", "book_test_drive", ago(9), "h5")
    w.lead("dms:1", "L1", "test_drive", "app", ago(30), score=81, grade="A")
    w.owns("dms:1", "V1", "BYD-HAN", date(2020, 1, 1))

    w.person("P2", {"key": "dms:2", "city": "北京", "gender": "M", "birthDate": date(1985, 3, 3), "name": "李四"},
             {"key": "wecom:2", "system": "wecom"})
    w.tag("wecom:2", "high_purchase_intent", value="B", confidence=0.5, source="keyword")
    w.event("wecom:2", "e2-0", "share_content", ago(3), "private_chat")
    w.event("wecom:2", "e2-1", "share_content", ago(60), "moments")
    w.event("wecom:2", "e2-2", "share_content", ago(200), "moments")
    w.lead("dms:2", "L2", "new", "web", ago(400))

    w.person("P3", {"key": "leads:3", "system": "leads", "city": "上海"})
    w.tag("leads:3", "vip", removed=True)
    w.tag("leads:3", "family", expires=ago(1))
    w.event("leads:3", "e3-v", "visit_touchpoint", ago(100), "h5")
    w.lead("leads:3", "L3", "booked", "autohome", ago(5), model="BYD-TANG", score=35, grade="C")
    w.advisor("leads:3", "A1", "D1")
    w.served_by_tag("leads:3", "A1", "trusted")

    w.person("P4", {"key": "dms:4", "city": "广州", "gender": "F", "birthDate": date(2000, 1, 1)})
    w.owns("dms:4", "V1", "BYD-HAN", date(2023, 1, 1))
    w.owns("dms:4", "V2", "BYD-HAN", date(2024, 6, 1))

    w.person("P5", {"key": "aftersales:5", "system": "aftersales"})

    w.unresolved("leads:99")  # tagged, but not resolved to a person: never a member
    w.tag("leads:99", "high_purchase_intent", value="A", confidence=1.0)
    return database
