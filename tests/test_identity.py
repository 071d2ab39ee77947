"""One ID behaviour on small hand-built graphs with known answers."""

from __future__ import annotations

from typing import Any

import orjson

from carkg.graph import Database
from carkg.identifiers.names import name_pinyin
from carkg.identity import resolve


def rec(key: str, name: str | None, *, system: str = "dms", **ids: Any) -> dict[str, Any]:
    row = {"key": key, "system": system, "name": name, "pinyin": name_pinyin(name) if name else None,
           "city": ids.pop("city", None), "gender": ids.pop("gender", None), "birthDate": ids.pop("birth", None)}
    for kind in ("phones", "ids", "devices", "wechats", "vins"):
        row[kind] = ids.pop(kind, [])
    assert not ids, ids
    return row


def load(db: Database, *rows: dict[str, Any]) -> None:
    db.write("identity/fixture_records", rows=list(rows))


def persons(db: Database) -> dict[str, str]:
    return {row["key"]: row["oneId"] for row in db.read("identity/persons_of")}


def decide(db: Database, kind: str, a: str, b: str) -> None:
    db.write("identity/fixture_decision", id=f"{kind}:{a}:{b}", kind=kind, a=a, b=b)


def test_one_person_in_three_systems_is_one_one_id(db: Database) -> None:
    load(db,
         rec("dms:1", "张伟", phones=["+8613912345678"], ids=["H1"], vins=["LVIN0000000000001"]),
         rec("aftersales:1", "张玮", system="aftersales", phones=["+8613912345678"], vins=["LVIN0000000000001"]),
         rec("leads:1", "Zhang Wei", system="leads", phones=["+8613912345678"], devices=["D1"]),
         rec("wecom:1", "阳光", system="wecom", wechats=["U1"]),
         rec("leads:2", "张伟", system="leads", devices=["D1"], wechats=["U1"]))
    report = resolve(db)
    got = persons(db)
    assert len(set(got.values())) == 1, got
    assert len(got) == 5
    assert report.persons == 1 and report.multi_record_persons == 1
    match = db.query("MATCH (a)-[m:MATCHES]->(b) RETURN a.key AS a, b.key AS b, m.evidence AS e, m.decision AS d")
    assert match and all(row["a"] < row["b"] for row in match)
    fields = {e["field"] for row in match for e in orjson.loads(row["e"])}
    assert {"phone", "name"} <= fields


def test_dealer_front_desk_phone_does_not_merge(db: Database) -> None:
    desk = "+862088886666"
    db.write("identity/fixture_dealer", dealerId="D001", phone=desk)
    load(db, rec("dms:1", "王芳", phones=[desk]), rec("dms:2", "王芳", phones=[desk]),
         rec("aftersales:9", "王芳", system="aftersales", phones=[desk]))
    resolve(db)
    got = persons(db)
    assert len(set(got.values())) == 3, got
    phone = db.query("MATCH (p:Phone {e164: $e}) RETURN p.suspect AS s, p.suspectReason AS r", {"e": desk})[0]
    assert phone["s"] is True and "dealer" in phone["r"]


def test_test_number_and_busy_phone_are_suspect(db: Database) -> None:
    busy = "+8613711112222"
    names = ["李雷", "韩梅梅", "张三", "李四", "王五", "赵六", "孙七"]
    load(db, *[rec(f"leads:{i}", n, system="leads", phones=[busy]) for i, n in enumerate(names)],
         rec("dms:1", "周杰", phones=["+8613800138000"]), rec("dms:2", "周杰", phones=["+8613800138000"]))
    resolve(db)
    assert len(set(persons(db).values())) == len(names) + 2
    reasons = {row["e"]: row["r"] for row in db.query("MATCH (p:Phone) RETURN p.e164 AS e, p.suspectReason AS r")}
    assert reasons["+8613800138000"] == "known test number"
    assert reasons[busy].startswith("degree:")


def test_family_sharing_a_car_or_a_phone_is_not_merged(db: Database) -> None:
    vin, home = "LFAM0000000000001", "+8613500001111"
    load(db,
         rec("dms:1", "刘强", phones=["+8613600001111"], vins=[vin], gender="M"),
         rec("aftersales:1", "陈静", system="aftersales", phones=["+8613600002222"], vins=[vin]),
         rec("leads:1", "刘洋", system="leads", phones=[home]),
         rec("leads:2", "刘梅", system="leads", phones=[home]))
    resolve(db)
    assert len(set(persons(db).values())) == 4
