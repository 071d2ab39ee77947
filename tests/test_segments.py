"""Every condition kind on a small hand-built graph whose right answer is known; errors name the condition."""

from __future__ import annotations

from typing import Any

import pytest
from segment_world import NOW, small_world

from carkg.graph import Database
from carkg.segments import SegmentError, count, explain, member_ids, members, parse
from carkg.segments.engine import Request

REQ = Request(now=NOW)
ANALYST = Request(now=NOW, viewer={"admin": False, "advisorId": None, "dealerId": None})


@pytest.fixture(scope="module")
def world(database: Database) -> Database:
    return small_world(database)


def ids(db: Database, definition: Any, request: Request = REQ) -> set[str]:
    found = set(member_ids(db, definition, request))
    assert count(db, definition, request) == len(found)
    return found


def tag(code: str, **extra: Any) -> dict[str, Any]:
    return {"kind": "tag", "code": code, **extra}


@pytest.mark.parametrize(("condition", "expected"), [
    (tag("high_purchase_intent"), {"P1", "P2"}),
    (tag("high_purchase_intent", minConfidence=0.8), {"P1"}),
    (tag("high_purchase_intent", sources=["keyword"]), {"P2"}),
    (tag("high_purchase_intent", value="A"), {"P1"}),
    (tag("high_purchase_intent", values=["A", "B"]), {"P1", "P2"}),
    (tag("high_purchase_intent", scope="oem"), {"P1", "P2"}),
    (tag("high_purchase_intent", scope="dealer"), set()),
    (tag("vip"), set()),  # removed
    (tag("family"), set()),  # expired
    (tag("trusted", on="SERVED_BY"), {"P3"}),
    (tag("trusted"), set()),  # on the relationship, not on the record
])
def test_tag_conditions(world: Database, condition: dict[str, Any], expected: set[str]) -> None:
    assert ids(world, condition) == expected


def attr(field: str, op: str, **extra: Any) -> dict[str, Any]:
    return {"kind": "attribute", "field": field, "op": op, **extra}


@pytest.mark.parametrize(("condition", "expected"), [
    (attr("city", "eq", value="上海"), {"P1", "P3"}),
    (attr("city", "ne", value="上海"), {"P2", "P4", "P5"}),
    (attr("city", "in", values=["北京", "广州"]), {"P2", "P4"}),
    (attr("birthYear", "range", min=1985, max=1995), {"P1", "P2"}),
    (attr("birthYear", "range", min=1995), {"P4"}),
    (attr("city", "contains", value="京"), {"P2"}),
    (attr("gender", "isNull"), {"P3", "P5"}),
    (attr("system", "eq", value="wecom"), {"P2"}),
])
def test_attribute_conditions(world: Database, condition: dict[str, Any], expected: set[str]) -> None:
    assert ids(world, condition) == expected


def event(*types: str, **extra: Any) -> dict[str, Any]:
    return {"kind": "event", "types": list(types), **extra}


@pytest.mark.parametrize(("condition", "expected"), [
    (event("share_content"), {"P1", "P2"}),
    (event("share_content", minCount=3, window={"lastDays": 90}), {"P1"}),
    (event("share_content", minCount=2, window={"from": "now-90d"}), {"P1", "P2"}),
    (event("share_content", minCount=3), {"P1", "P2"}),  # no window: P2's third share was 200 days ago
    (event("share_content", channels=["private_chat"]), {"P2"}),
    (event("share_content", window={"from": "2026-11-15", "to": "now-4d"}), {"P1"}),
    (event("share_content", window={"from": "start_of_month"}), {"P1", "P2"}),
    (event("visit_touchpoint", "book_test_drive", minCount=2), {"P1"}),
    (event("share_content", first={"before": "now-150d"}), {"P2"}),
    (event("share_content", first={"after": "now-150d"}), {"P1"}),
    (event("visit_touchpoint", last={"before": "now-50d"}), {"P3"}),
    (event("visit_touchpoint", last={"after": "now-50d"}), {"P1"}),
])
def test_event_conditions(world: Database, condition: dict[str, Any], expected: set[str]) -> None:
    assert ids(world, condition) == expected


@pytest.mark.parametrize(("condition", "expected"), [
    ({"kind": "distinctChannels", "eventTypes": ["book_test_drive"], "min": 2}, {"P1"}),
    ({"kind": "distinctChannels", "min": 1}, {"P1", "P2", "P3"}),
    ({"kind": "distinctChannels", "leadStages": ["booked"], "min": 1}, {"P3"}),
    ({"kind": "distinctChannels", "min": 1, "window": {"lastDays": 60}}, {"P1", "P3"}),
    ({"kind": "lead", "stages": ["booked", "test_drive"]}, {"P1", "P3"}),
    ({"kind": "lead", "models": ["BYD-TANG"]}, {"P3"}),
    ({"kind": "lead", "channels": ["web"], "window": {"lastDays": 365}}, set()),
    ({"kind": "lead", "window": {"lastDays": 60}}, {"P1", "P3"}),
    ({"kind": "lead", "minScore": 50}, {"P1"}),
    ({"kind": "lead", "minScore": 30}, {"P1", "P3"}),
    ({"kind": "lead", "grades": ["C", "D"]}, {"P3"}),
    ({"kind": "lead", "grades": ["A"], "stages": ["booked"]}, set()),
])
def test_lead_and_channel_conditions(world: Database, condition: dict[str, Any], expected: set[str]) -> None:
    assert ids(world, condition) == expected


def vehicle(**extra: Any) -> dict[str, Any]:
    return {"kind": "vehicle", **extra}


@pytest.mark.parametrize(("condition", "expected"), [
    (vehicle(), {"P1", "P4"}),
    (vehicle(brands=["BYD"]), {"P1", "P4"}),
    (vehicle(brands=["NIO"]), set()),
    (vehicle(models=["BYD-HAN"], segments=["sedan"], energies=["BEV"]), {"P1", "P4"}),
    (vehicle(minAgeYears=5), {"P1", "P4"}),  # V1 was first owned in 2020, by P1; P4 bought it later
    (vehicle(maxAgeYears=3), {"P4"}),
    (vehicle(resold=True), {"P1", "P4"}),
    (vehicle(resold=False), {"P4"}),
    (vehicle(minCount=2), {"P4"}),
    ({"kind": "interest", "segments": ["suv"]}, {"P3"}),
    ({"kind": "interest", "brands": ["BYD"]}, {"P3"}),
    ({"kind": "repeatBrand"}, {"P4"}),
])
def test_vehicle_conditions(world: Database, condition: dict[str, Any], expected: set[str]) -> None:
    assert ids(world, condition) == expected


@pytest.mark.parametrize(("condition", "expected"), [
    ({"kind": "not", "condition": tag("high_purchase_intent")}, {"P3", "P4", "P5"}),
    ({"kind": "and", "conditions": [tag("high_purchase_intent"), attr("city", "eq", value="上海")]}, {"P1"}),
    ({"kind": "or", "conditions": [tag("trusted", on="SERVED_BY"), vehicle(minCount=2)]}, {"P3", "P4"}),
    ({"kind": "and", "conditions": [
        {"kind": "not", "condition": vehicle()},
        {"kind": "or", "conditions": [attr("city", "eq", value="上海"), attr("system", "eq", value="aftersales")]},
    ]}, {"P3", "P5"}),
    ({"kind": "not", "condition": event("share_content", first={"before": "now-150d"})}, {"P1", "P3", "P4", "P5"}),
    ({"kind": "or", "conditions": [tag("high_purchase_intent", minConfidence=0.8), vehicle(brands=["BYD"])]},
     {"P1", "P4"}),
    ({"kind": "and", "conditions": [{"kind": "not", "condition": tag("high_purchase_intent")},
                                    {"kind": "not", "condition": vehicle(energies=["BEV"])}]}, {"P3", "P5"}),
    ({"kind": "not", "condition": {"kind": "or", "conditions": [
        event("share_content", minCount=3), {"kind": "interest", "segments": ["suv"]}]}}, {"P4", "P5"}),
])
def test_boolean_combinations(world: Database, condition: dict[str, Any], expected: set[str]) -> None:
    assert ids(world, condition) == expected


NOT_INTENT_NOT_BEV = {"kind": "and", "conditions": [{"kind": "not", "condition": tag("high_purchase_intent")},
                                                    {"kind": "not", "condition": vehicle(energies=["BEV"])}]}


def test_negations_count_as_scope_minus_an_indexed_union(world: Database) -> None:
    """A root of `not`s is counted as persons in scope minus the union of the negated parts' anchors;
    the count (complement) and the member list (label scan) must agree, also under a row scope."""
    explained = explain(world, NOT_INTENT_NOT_BEV, REQ)
    assert explained.anchor == "persons in scope minus tag high_purchase_intent | vehicle model"
    assert "UNION" in explained.cypher and "RETURN inScope - count AS count" in explained.cypher
    advisor = Request(now=NOW, scope={"all": False, "advisorId": "A1", "dealerId": "D1"},
                      viewer={"admin": False, "advisorId": "A1", "dealerId": "D1"})
    assert ids(world, NOT_INTENT_NOT_BEV, advisor) == {"P3"}
    assert ids(world, {"kind": "not", "condition": tag("high_purchase_intent")}, advisor) == {"P3"}


def test_members_page_is_masked_and_paginated(world: Database) -> None:
    definition = {"kind": "or", "conditions": [tag("high_purchase_intent"), vehicle()]}
    first = members(world, definition, REQ, first=2)
    assert [m.one_id for m in first.members] == ["P1", "P2"] and first.has_next
    p1 = first.members[0]
    assert p1.masked_name == "张**" and p1.masked_phones == ["138****0001"] and p1.tags == ["high_purchase_intent"]
    second = members(world, definition, REQ, first=2, after=first.end_cursor)
    assert [m.one_id for m in second.members] == ["P4"] and not second.has_next


def test_row_scope_restricts_members(world: Database) -> None:
    advisor = Request(now=NOW, scope={"all": False, "advisorId": "A1", "dealerId": "D1"},
                      viewer={"admin": False, "advisorId": "A1", "dealerId": "D1"})
    assert ids(world, {"kind": "lead"}, advisor) == {"P3"}


@pytest.mark.parametrize(("definition", "message"), [
    ({"kind": "and", "conditions": [attr("city", "eq", value="x"), vehicle(),
                                    {"kind": "or", "conditions": [tag("xx")]}]},
     "and[2].or[0]: unknown tag code 'xx'"),
    ({"kind": "and", "conditions": [vehicle(), {"kind": "not", "condition": tag("dealer_only")}]},
     "and[1].not: unknown tag code 'dealer_only'"),  # a dealer tag the caller may not use
    ({"kind": "or", "conditions": [vehicle(), event("share_content", window={"from": "now+2d"})]},
     "or[1]: window starts in the future"),
    ({"kind": "or", "conditions": [vehicle(), event("share_content", window={"from": "now-2d", "to": "now-3d"})]},
     "or[1]: window.from is not before window.to"),
    ({"kind": "and", "conditions": [attr("city", "in", values=[])]}, "and[0]: empty IN list 'values'"),
    ({"kind": "and", "conditions": [vehicle(brands=[])]}, "and[0]: empty IN list 'brands'"),
    ({"kind": "and", "conditions": [attr("phone", "eq", value="1")]}, "and[0].field: Input should be"),
    ({"kind": "or", "conditions": [{"kind": "magic"}]}, "or[0]: Input tag 'magic' found using 'kind'"),
    ({"kind": "and", "conditions": [event("sneeze")]}, "and[0].types[0]: Input should be"),
    ({"kind": "and", "conditions": []}, "and: List should have at least 1 item"),
    (event("share_content", window={"from": "yesterday-ish"}), "event.window.from: not a date"),
    (tag("nope"), "tag: unknown tag code 'nope'"),
    ({"kind": "or", "conditions": [vehicle(), {"kind": "lead", "minScore": 120}]},
     "or[1].minScore: Input should be less than or equal to 99"),
    ({"kind": "and", "conditions": [{"kind": "segment", "id": "ghost"}]}, "and[0]: unknown segment 'ghost'"),
])
def test_errors_name_the_condition(world: Database, definition: dict[str, Any], message: str) -> None:
    with pytest.raises(SegmentError) as caught:
        count(world, definition, ANALYST)
    assert str(caught.value).startswith(message), str(caught.value)


def test_plain_json_round_trip() -> None:
    text = '{"kind":"and","conditions":[{"kind":"tag","code":"a","minConfidence":0.5},{"kind":"not","condition":' \
           '{"kind":"vehicle","resold":true}}]}'
    parsed = parse(text)
    from carkg.segments.model import dump

    assert parse(dump(parsed)) == parsed
    assert dump(parsed)["conditions"][0] == {"kind": "tag", "code": "a", "minConfidence": 0.5}
