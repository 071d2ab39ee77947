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


def test_cannot_link_survives_a_rerun(db: Database) -> None:
    load(db, rec("dms:1", "赵敏", phones=["+8613900001111"]), rec("leads:1", "赵敏", system="leads",
                                                                  phones=["+8613900001111"]))
    resolve(db)
    assert len(set(persons(db).values())) == 1
    decide(db, "cannot_link", "dms:1", "leads:1")
    for _ in range(2):
        resolve(db)
        got = persons(db)
        assert got["dms:1"] != got["leads:1"]
    assert db.query("MATCH (p:Person) RETURN count(p) AS n")[0]["n"] == 2


def test_must_link_survives_a_rerun(db: Database) -> None:
    load(db, rec("dms:1", "孙丽", phones=["+8613900002222"]), rec("wecom:1", "Lily", system="wecom",
                                                                  wechats=["U9"]))
    resolve(db)
    assert len(set(persons(db).values())) == 2
    decide(db, "must_link", "dms:1", "wecom:1")
    for incremental in (False, True, False):
        resolve(db, incremental=incremental)
        got = persons(db)
        assert got["dms:1"] == got["wecom:1"]
    methods = {row["key"]: row["method"] for row in db.read("identity/persons_of")}
    assert methods == {"dms:1": "steward", "wecom:1": "steward"}
    assert db.query("MATCH (p:Person) RETURN count(p) AS n")[0]["n"] == 1


def test_two_id_documents_in_one_cluster_are_split(db: Database) -> None:
    phone = "+8613900003333"
    load(db, rec("dms:1", "钱进", phones=[phone], ids=["H1"]), rec("dms:2", "钱进", phones=[phone], ids=["H2"]),
         rec("leads:1", "钱进", system="leads", phones=[phone]))
    report = resolve(db)
    got = persons(db)
    assert got["dms:1"] != got["dms:2"]
    assert report.split_components == 1


def test_must_link_against_id_documents_becomes_a_conflict_case(db: Database) -> None:
    load(db, rec("dms:1", "周一", ids=["H1"]), rec("dms:2", "周二", ids=["H2"]))
    decide(db, "must_link", "dms:1", "dms:2")
    for _ in range(2):
        report = resolve(db)
        assert report.conflict_cases == 1
    got = persons(db)
    assert got["dms:1"] != got["dms:2"]
    cases = db.query("MATCH (c:ReviewCase)-[:CONCERNS]->(r) RETURN c.kind AS kind, c.status AS status, "
                     "collect(r.key) AS keys")
    assert len(cases) == 1 and cases[0]["kind"] == "conflict" and sorted(cases[0]["keys"]) == ["dms:1", "dms:2"]


def test_review_band_pair_opens_one_case(db: Database) -> None:
    phone = "+8613900004444"
    load(db, rec("dms:1", "吴刚", phones=[phone]), rec("leads:1", None, system="leads", phones=[phone]))
    for _ in range(2):
        report = resolve(db)
        assert report.review_cases == 1
    cases = db.query("MATCH (c:ReviewCase {kind: 'pair'})-[:CONCERNS]->(r) RETURN c.caseId AS id, "
                     "c.status AS status, count(r) AS n")
    assert len(cases) == 1 and cases[0]["n"] == 2 and cases[0]["status"] == "open"
    got = persons(db)
    assert got["dms:1"] != got["leads:1"]
    m = db.query("MATCH ()-[m:MATCHES]->() RETURN m.decision AS d")
    assert [row["d"] for row in m] == ["review"]


def test_one_ids_are_stable_when_a_record_is_added(db: Database) -> None:
    load(db, rec("dms:1", "郑和", phones=["+8613900005555"], ids=["H5"]),
         rec("aftersales:1", "郑和", system="aftersales", phones=["+8613900005555"]),
         rec("dms:2", "冯晓", phones=["+8613900006666"]),
         rec("leads:3", "冯晓", system="leads", devices=["D3"]))
    resolve(db)
    before = persons(db)
    assert before["dms:1"] == before["aftersales:1"] and before["dms:2"] != before["leads:3"]
    # a lead that joins the first person, and one that bridges dms:2 and leads:3
    load(db, rec("leads:1", "郑和", system="leads", phones=["+8613900005555"]),
         rec("leads:2", "冯晓", system="leads", phones=["+8613900006666"], devices=["D3"]))
    report = resolve(db, incremental=True)
    after = persons(db)
    assert after["leads:1"] == after["dms:1"] == before["dms:1"]
    assert after["aftersales:1"] == before["aftersales:1"]
    assert after["leads:2"] == after["dms:2"] == after["leads:3"]
    assert after["dms:2"] in {before["dms:2"], before["leads:3"]}
    assert report.records == 6 and report.persons_deleted == 1
    assert db.query("MATCH (p:Person) RETURN count(p) AS n")[0]["n"] == 2
    # a full re-run changes nothing
    again = resolve(db)
    assert persons(db) == after and again.links_changed == 0


def test_incremental_touches_only_the_neighbourhood(db: Database) -> None:
    # numbers far apart: one a digit away from another would be a candidate (blocking's near_phone) too
    phones = ["+8613900007700", "+8613811112801", "+8613722223902"]
    load(db, *[rec(f"dms:{i}", n, phones=[phones[i]]) for i, n in enumerate(["甲一", "乙二", "丙三"])])
    resolve(db)
    before = persons(db)
    load(db, rec("leads:9", "甲一", system="leads", phones=["+8613900007700"]))
    report = resolve(db, incremental=True)
    assert report.records == 2
    after = persons(db)
    assert after["leads:9"] == after["dms:0"] == before["dms:0"]
    assert {k: after[k] for k in before} == before


def test_incremental_takes_back_a_link_made_only_by_a_phone_that_became_suspect(db: Database) -> None:
    shared = "+8613711113333"
    load(db, rec("dms:1", "钱多", phones=[shared]), rec("aftersales:1", "钱多", system="aftersales", phones=[shared]))
    resolve(db)
    assert persons(db)["dms:1"] == persons(db)["aftersales:1"]
    # later loads show the phone on the records of many different people: a shared number, not theirs
    names = ["李雷", "韩梅梅", "张三", "李四", "王五", "赵六", "孙七"]
    load(db, *[rec(f"leads:{i}", n, system="leads", phones=[shared]) for i, n in enumerate(names)])
    resolve(db, incremental=True)
    after = persons(db)
    assert after["dms:1"] != after["aftersales:1"]
    assert len(set(after.values())) == len(names) + 2
    # and a full re-run agrees with the incremental one
    resolve(db)
    assert len(set(persons(db).values())) == len(names) + 2


def test_cli_resolve_prints_the_run(db: Database) -> None:
    from typer.testing import CliRunner

    from carkg.cli import app

    load(db, rec("dms:1", "林峰", phones=["+8613900008888"]), rec("leads:1", "林峰", system="leads",
                                                                  phones=["+8613900008888"]))
    env = {"NEO4J_URI": db.target.uri, "NEO4J_USER": db.target.user, "NEO4J_PASSWORD": db.target.password}
    out = CliRunner().invoke(app, ["identity", "resolve"], env=env)
    assert out.exit_code == 0, out.output
    assert "persons with 2+ records" in out.output and "seconds: gds" in out.output
    assert len(set(persons(db).values())) == 1


def test_thresholds_must_be_ordered(db: Database) -> None:
    import pytest

    from carkg.settings import IdentitySettings

    with pytest.raises(ValueError, match="REVIEW_THRESHOLD"):
        resolve(db, settings=IdentitySettings(link_threshold=5, review_threshold=8))


def test_a_review_case_goes_when_its_pair_leaves_the_band(db: Database) -> None:
    phone = "+8613900009999"
    load(db, rec("dms:1", "韩梅", phones=[phone]), rec("leads:1", None, system="leads", phones=[phone]))
    assert resolve(db).review_cases == 1
    load(db, rec("leads:1", "韩梅", system="leads", phones=[phone]))  # the lead now carries the name: a link
    resolve(db)
    assert db.query("MATCH (c:ReviewCase) RETURN count(c) AS n")[0]["n"] == 0
    got = persons(db)
    assert got["dms:1"] == got["leads:1"]
