"""Blocking beyond shared identifiers: mistyped documents and phones, records with no dealer, surname
handles at an advisor; and a common key is capped, logged masked and skipped, never a crash."""

from __future__ import annotations

import orjson
from rows import KEY, row
from structlog.testing import capture_logs

from carkg.graph import Database
from carkg.identifiers.idcard import id_check_char, near_document_keys
from carkg.identifiers.names import name_pinyin
from carkg.identity import resolve
from carkg.identity.blocking import block, mask
from carkg.identity.records import Record


def record(i: int, name: str, **fields: object) -> Record:
    values: dict[str, object] = {"ids": (), "phones": (), "wechats": (), "devices": (), "vins": ()}
    values.update(fields)
    return Record(id=i, key=f"t:{i}", system="t", name=name, pinyin=name_pinyin(name), city=values.pop("city", None),
                  birth_date=values.pop("birth_date", None), gender=None, **values)  # type: ignore[arg-type]


def persons(db: Database) -> dict[str, str]:
    return {r["key"]: r["oneId"] for r in db.read("identity/persons_of")}


def test_one_edit_document_keys_meet_and_valid_id_cards_have_none() -> None:
    original, swapped, wrong = "5304218", "5302418", "5304219"
    keys = set(near_document_keys(original, KEY))
    assert keys & set(near_document_keys(swapped, KEY)) and keys & set(near_document_keys(wrong, KEY))
    assert not keys & set(near_document_keys("9871234", KEY))
    body = "11010119850302123"
    assert near_document_keys(body + id_check_char(body + "0"), KEY) == []


def test_a_mistyped_social_security_number_still_links_the_same_person(db: Database) -> None:
    db.write("identity/fixture_records", rows=[
        row("eval:a", "michaela neumann", birth="1915-11-11", city="winston hills", number="5304218",
            address="8 stanley street, miami, 4223, nsw"),
        row("eval:b", "michaela neuman", birth="1915-11-11", city="winston hills", number="5302418",
            address="8 stanley st, miami, 4223, nsw"),
        row("eval:c", "courtney painter", birth="1916-12-14", city="richlands", number="4066625"),
        row("eval:d", "courtney painter", birth="1971-02-03", city="richlands", number="7719002"),
    ])
    resolve(db)
    found = persons(db)
    assert found["eval:a"] == found["eval:b"]
    assert found["eval:c"] != found["eval:d"]  # a namesake born elsewhen, with its own number
    evidence = db.query("MATCH (:CustomerRecord {key: 'eval:a'})-[m:MATCHES]-(:CustomerRecord {key: 'eval:b'}) "
                        "RETURN m.evidence AS e")[0]["e"]
    near = [e for e in orjson.loads(evidence) if e["field"] == "idDocument"]
    assert near == [{"field": "idDocument", "outcome": "agree", "weight": 10.97, "detail": "near"}]


def test_a_phone_with_two_digits_swapped_links_the_same_name_with_no_dealer(db: Database) -> None:
    db.write("identity/fixture_records", rows=[
        row("eval:a", "欧阳娜娜", city="上海", phones=["+8613812345678"]),
        row("eval:b", "欧阳娜娜", city="上海", phones=["+8613812346578"]),
        row("eval:c", "王芳", city="上海", phones=["+8613812345679"]),  # a family's next number, another name
    ])
    resolve(db)
    found = persons(db)
    assert found["eval:a"] == found["eval:b"] != found["eval:c"]


def test_rules_propose_pairs_without_a_shared_identifier() -> None:
    records = [
        record(0, "michaela neumann", birth_date="1915-11-11", city="winston hills"),
        record(1, "neumann michaela", birth_date="1915-02-03"),  # swapped order, same birth year
        record(2, "mikaela smith", birth_date="1915-11-11", city="Winston Hills"),  # same birthday and town
        record(3, "m neumann", city="winston hills"),  # not a full name: no initial rule for a lone letter
        record(4, "小王", advisors=frozenset({"A1"})),
        record(5, "王嘉佳", advisors=frozenset({"A1", "A2"})),
        record(6, "王先生", advisors=frozenset({"A2"})),
        record(7, "王伟", advisors=frozenset({"A2"})),  # A2 serves two 王: 王先生 could be either
    ]
    pairs, report = block(records, cap=30)
    assert {(0, 1), (0, 2), (4, 5)} <= pairs
    assert not {(5, 6), (6, 7), (5, 7)} & pairs  # two full names under one advisor: no pair at all
    assert report.pairs["surname_handle_advisor"] == 1 and report.largest["birth_date_city"] == 2


def test_a_block_over_the_cap_is_logged_masked_and_skipped() -> None:
    records = [record(i, "张伟", birth_date="1985-03-02", city="上海") for i in range(40)]
    with capture_logs() as logs:
        pairs, report = block(records, cap=30)
    assert pairs == set() and report.skipped["name_birth_year"] == 1 and report.skipped["birth_date_city"] == 1
    skipped = [e for e in logs if e["event"] == "block over cap skipped"]
    assert {e["rule"] for e in skipped} >= {"name_birth_year", "birth_date_city"}
    assert all("1985-03-02" not in e["key"] and "zhangwei" not in e["key"] for e in skipped)
    assert mask(("zhangwei", "1985")) == "z*******·1***"
