"""Tags over GraphQL: relationship tags with provenance, personal tags kept personal, history, expiry,
health, definitions and templates, and errors that name the field."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from carkg.api.app import create_app
from carkg.auth import Role
from carkg.auth.tokens import create_token
from carkg.graph import Database
from carkg.graph.database import Target
from carkg.paths import GRAPHQL_DIR
from carkg.settings import ApiSettings
from carkg.tags import load_library

SERVED_BY = {"relType": "SERVED_BY", "startKey": "dms:C1", "endKey": "A1"}
C1 = {"label": "CUSTOMER_RECORD", "key": "dms:C1"}
SERVED_BY_ENUM = {**SERVED_BY, "relType": "SERVED_BY"}
TAG = """mutation ($target: TagTargetInput!, $code: String!, $value: String, $confidence: Float! = 1.0,
                  $expiresAt: DateTime, $evidence: [String!]) {
  tag(target: $target, code: $code, value: $value, confidence: $confidence, expiresAt: $expiresAt,
      evidence: $evidence) {
    status assignmentId assignment { tagCode value source actor confidence evidence relType endKey }
  }
}"""
RECORD_TAGS = """query ($key: String!) {
  customerRecord(key: $key) {
    tags { tagCode value }
    advisors { node { advisorId } tags { tagCode value source actor confidence at evidence assignmentId } }
  }
}"""


@pytest.fixture(scope="module")
def client(neo4j_target: Target) -> Iterator[TestClient]:
    settings = ApiSettings(jwt_secret="test-secret-for-jwt-verification-0123456789")
    with TestClient(create_app(neo4j_target, settings)) as c:
        yield c


@pytest.fixture
def tokens(db: Database) -> dict[str, str]:
    """Dealer D1 with advisors A1 and A3 (both serve C1), dealer D2 with A2 (serves C2)."""
    db.query("""
        CREATE (d1:Dealer {dealerId: 'D1'}), (d2:Dealer {dealerId: 'D2'})
        CREATE (a1:Advisor {advisorId: 'A1', name: '李娜'})-[:WORKS_AT]->(d1)
        CREATE (a3:Advisor {advisorId: 'A3'})-[:WORKS_AT]->(d1)
        CREATE (a2:Advisor {advisorId: 'A2'})-[:WORKS_AT]->(d2)
        CREATE (c1:CustomerRecord {key: 'dms:C1', system: 'dms', sourceId: 'C1', name: '王伟'})-[:SERVED_BY]->(a1)
        CREATE (c1)-[:SERVED_BY]->(a3)
        CREATE (c2:CustomerRecord {key: 'dms:C2', system: 'dms', sourceId: 'C2'})-[:SERVED_BY]->(a2)
        CREATE (p:Person {oneId: 'P1'}), (c1)-[:RESOLVED_TO]->(p), (c2)-[:RESOLVED_TO]->(p)
    """)
    load_library(db)
    return {
        "admin": create_token(db, "t-admin", Role.ADMIN),
        "analyst": create_token(db, "t-analyst", Role.ANALYST),
        "a1": create_token(db, "t-a1", Role.ADVISOR, advisor_id="A1", dealer_id="D1"),
        "a2": create_token(db, "t-a2", Role.ADVISOR, advisor_id="A2", dealer_id="D2"),
        "a3": create_token(db, "t-a3", Role.ADVISOR, advisor_id="A3", dealer_id="D1"),
        "d1": create_token(db, "t-d1", Role.APP, dealer_id="D1"),
    }


def gql(client: TestClient, token: str, query: str, **variables: object) -> dict[str, Any]:
    resp = client.post("/graphql", json={"query": query, "variables": variables},
                       headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 200, resp.text
    return resp.json()  # type: ignore[no-any-return]


def ok(result: dict[str, Any]) -> dict[str, Any]:
    assert "errors" not in result, result["errors"]
    return result["data"]  # type: ignore[no-any-return]


def error(result: dict[str, Any]) -> tuple[str, str | None, str]:
    e = result["errors"][0]
    return e["extensions"]["code"], e["extensions"].get("field"), e["message"]


def test_a_tag_on_the_customer_advisor_relationship_is_stored_queried_and_shown_with_provenance(
    client: TestClient, tokens: dict[str, str]
) -> None:
    done = ok(gql(client, tokens["a1"], TAG, target=SERVED_BY_ENUM, code="trusts_advisor", confidence=0.8,
                  evidence=["聊天: 只找李娜买"]))["tag"]
    assert done["status"] == "assigned" and done["assignmentId"] == "SERVED_BY|dms:C1|A1|trusts_advisor"
    assert done["assignment"]["relType"] == "SERVED_BY" and done["assignment"]["endKey"] == "A1"

    advisors = ok(gql(client, tokens["analyst"], RECORD_TAGS, key="dms:C1"))["customerRecord"]["advisors"]
    by_advisor = {a["node"]["advisorId"]: a["tags"] for a in advisors}
    assert by_advisor["A3"] == []
    [tag] = by_advisor["A1"]
    assert (tag["tagCode"], tag["source"], tag["actor"], tag["confidence"], tag["evidence"]) == (
        "trusts_advisor", "manual", "token:t-a1", 0.8, ["聊天: 只找李娜买"])
    assert tag["at"] is not None

    tags_on = """query ($t: TagTargetInput!) { tagsOn(target: $t) { tagCode actor assignmentId } }"""
    assert ok(gql(client, tokens["a3"], tags_on, t=SERVED_BY))["tagsOn"] == [
        {"tagCode": "trusts_advisor", "actor": "token:t-a1", "assignmentId": "SERVED_BY|dms:C1|A1|trusts_advisor"}]
    assert ok(gql(client, tokens["a3"], tags_on, t={**SERVED_BY, "endKey": "A3"}))["tagsOn"] == []
    assert ok(gql(client, tokens["a3"], tags_on, t=C1))["tagsOn"] == []

    page = ok(gql(client, tokens["analyst"], """{ taggedEntities(code: "trusts_advisor") {
        edges { node { targetKind label key relType endKey assignment { actor } } } } }"""))
    assert [e["node"] for e in page["taggedEntities"]["edges"]] == [{
        "targetKind": "relationship", "label": "CustomerRecord", "key": "dms:C1", "relType": "SERVED_BY",
        "endKey": "A1", "assignment": {"actor": "token:t-a1"}}]


def test_an_advisors_personal_tag_is_invisible_to_another_advisor(client: TestClient, tokens: dict[str, str]) -> None:
    define = """mutation { defineTag(input: {code: "a1_golf", nameZh: "打高尔夫", nameEn: "Golfer",
                category: "attribute", scope: "advisor"}) { id code scope ownerId } }"""
    tag = ok(gql(client, tokens["a1"], define))["defineTag"]
    assert (tag["scope"], tag["ownerId"]) == ("advisor", "A1")
    ok(gql(client, tokens["a1"], TAG, target=C1, code="a1_golf"))

    def record_tags(token: str) -> list[str]:
        return [t["tagCode"] for t in ok(gql(client, token, RECORD_TAGS, key="dms:C1"))["customerRecord"]["tags"]]

    assert record_tags(tokens["a1"]) == ["a1_golf"]
    assert record_tags(tokens["a3"]) == []  # same dealer, same customer: still not theirs
    by_tag = """{ customerRecords(filter: {tagCode: "a1_golf"}) { edges { node { key } } } }"""
    assert ok(gql(client, tokens["a1"], by_tag))["customerRecords"]["edges"] == [{"node": {"key": "dms:C1"}}]
    assert ok(gql(client, tokens["a3"], by_tag))["customerRecords"]["edges"] == []
    library = """{ tagLibrary(scope: "advisor") { edges { node { code } } } }"""
    assert ok(gql(client, tokens["a3"], library))["tagLibrary"]["edges"] == []
    assert ok(gql(client, tokens["a1"], library))["tagLibrary"]["edges"] == [{"node": {"code": "a1_golf"}}]
    assert ok(gql(client, tokens["a3"], f'{{ node(id: "{tag["id"]}") {{ id }} }}'))["node"] is None
    assert error(gql(client, tokens["a3"], TAG, target=C1, code="a1_golf"))[:2] == ("BAD_USER_INPUT", "code")
    assert error(gql(client, tokens["a3"], """{ taggedEntities(code: "a1_golf") { edges { cursor } } }"""))[1] == "code"
    assert [h["code"] for h in ok(gql(client, tokens["a3"], "{ tagHealth { code } }"))["tagHealth"]
            if h["code"] == "a1_golf"] == []


def test_advisors_tag_only_their_own_customers(client: TestClient, tokens: dict[str, str]) -> None:
    c2 = {"label": "CUSTOMER_RECORD", "key": "dms:C2"}
    assert error(gql(client, tokens["a1"], TAG, target=c2, code="vip"))[:2] == ("FORBIDDEN", "target")
    dealer = {"label": "DEALER", "key": "D1"}
    assert error(gql(client, tokens["a1"], TAG, target=dealer, code="vip"))[:2] == ("FORBIDDEN", "target.label")
    assert ok(gql(client, tokens["analyst"], TAG, target=dealer, code="vip"))["tag"]["status"] == "assigned"
    tags_on = """query ($t: TagTargetInput!) { tagsOn(target: $t) { tagCode targetKind } }"""
    assert ok(gql(client, tokens["analyst"], tags_on, t=dealer))["tagsOn"] == [{"tagCode": "vip", "targetKind": "node"}]
    assert error(gql(client, tokens["a1"], tags_on, t=dealer))[:2] == ("FORBIDDEN", "target.label")


def test_assigning_twice_gives_one_assignment_with_history(client: TestClient, tokens: dict[str, str],
                                                           db: Database) -> None:
    first = ok(gql(client, tokens["a1"], TAG, target=C1, code="budget_band", value="10-15万", confidence=0.6))
    second = ok(gql(client, tokens["a1"], TAG, target=C1, code="budget_band", value="15-20万", confidence=0.9))
    assert (first["tag"]["status"], second["tag"]["status"]) == ("assigned", "updated")
    assert db.query("MATCH (ta:TagAssignment) RETURN count(*) AS n") == [{"n": 1}]
    history = ok(gql(client, tokens["a1"], """query ($t: TagTargetInput!) {
        tagHistory(target: $t, code: "budget_band") { action value confidence actor } }""", t=C1))["tagHistory"]
    assert history == [
        {"action": "assigned", "value": "10-15万", "confidence": 0.6, "actor": "token:t-a1"},
        {"action": "updated", "value": "15-20万", "confidence": 0.9, "actor": "token:t-a1"},
    ]
    untag = """mutation ($t: TagTargetInput!) { untag(target: $t, code: "budget_band") { status } }"""
    assert ok(gql(client, tokens["a1"], untag, t=C1))["untag"]["status"] == "removed"
    assert ok(gql(client, tokens["a1"], untag, t=C1))["untag"]["status"] == "not_assigned"
    assert ok(gql(client, tokens["a1"], RECORD_TAGS, key="dms:C1"))["customerRecord"]["tags"] == []


def test_an_expired_tag_stops_matching(client: TestClient, tokens: dict[str, str]) -> None:
    ok(gql(client, tokens["a1"], TAG, target=C1, code="test_drive", expiresAt="2020-01-01T00:00:00+08:00"))
    ok(gql(client, tokens["a1"], TAG, target=C1, code="trade_in", expiresAt="2099-01-01T00:00:00+08:00"))
    assert [t["tagCode"] for t in ok(gql(client, tokens["a1"], RECORD_TAGS, key="dms:C1"))["customerRecord"]["tags"]
            ] == ["trade_in"]
    page = """{ taggedEntities(code: "test_drive") { edges { cursor } } }"""
    assert ok(gql(client, tokens["analyst"], page))["taggedEntities"]["edges"] == []
    records = """{ customerRecords(filter: {tagCode: "test_drive"}) { edges { cursor } } }"""
    assert ok(gql(client, tokens["analyst"], records))["customerRecords"]["edges"] == []


def test_tag_health_over_graphql(client: TestClient, tokens: dict[str, str]) -> None:
    for value, conf in (("H", 0.5), ("A", 0.9)):
        ok(gql(client, tokens["a1"], TAG, target=C1, code="intent_level", value=value, confidence=conf))
    [h] = ok(gql(client, tokens["analyst"], """{ tagHealth(codes: ["intent_level"]) {
        code live customerRecords coverageShare shareExpired confidenceAvg conflictingPersons ageSeconds } }"""
              ))["tagHealth"]
    assert (h["code"], h["live"], h["customerRecords"], h["coverageShare"], h["shareExpired"]) == (
        "intent_level", 1, 1, 0.5, 0.0)
    assert h["confidenceAvg"] == 0.9 and h["ageSeconds"] < 60


def test_bad_input_names_the_field(client: TestClient, tokens: dict[str, str]) -> None:
    a1 = tokens["a1"]
    assert error(gql(client, a1, TAG, target=C1, code="budget_band", value="lots"))[:2] == ("BAD_USER_INPUT", "value")
    assert error(gql(client, a1, TAG, target=C1, code="vip", confidence=2.0))[:2] == ("BAD_USER_INPUT", "confidence")
    assert error(gql(client, a1, TAG, target={**C1, **SERVED_BY}, code="vip"))[:2] == ("BAD_USER_INPUT", "target")
    assert error(gql(client, a1, TAG, target={"label": "CUSTOMER_RECORD"}, code="vip"))[1] == "target.key"
    assert error(gql(client, a1, TAG, target=C1, code="vip", expiresAt="2099-01-01T00:00:00"))[1] == "expiresAt"
    assert error(gql(client, a1, TAG, target=C1, code="no_such"))[:2] == ("BAD_USER_INPUT", "code")
    assert error(gql(client, a1, TAG, target=C1, code="dealer_vip"))[2].startswith("code: tag 'dealer_vip' is a templ")
    missing = {**SERVED_BY, "endKey": "A2"}
    assert error(gql(client, tokens["analyst"], TAG, target=missing, code="vip"))[:2] == ("NOT_FOUND", "target")
    assert error(gql(client, a1, '{ tagLibrary(scope: "global") { edges { cursor } } }'))[1] == "scope"
    assert error(gql(client, a1, '{ taggedEntities(code: "vip", minConfidence: 3) { edges { cursor } } }'))[1] == (
        "minConfidence")
    enum_without_values = """mutation { defineTag(input: {code: "x", nameZh: "x", nameEn: "x", category: "intent",
        valueType: "enum"}) { code } }"""
    assert error(gql(client, tokens["admin"], enum_without_values))[:2] == ("BAD_USER_INPUT", "input.values")


def test_who_may_define_and_copy_tags(client: TestClient, tokens: dict[str, str]) -> None:
    oem = """mutation { defineTag(input: {code: "new_oem", nameZh: "新", nameEn: "New", category: "value"}) {
        code } }"""
    assert error(gql(client, tokens["a1"], oem))[0] == "FORBIDDEN"
    assert ok(gql(client, tokens["admin"], oem))["defineTag"]["code"] == "new_oem"
    steal = """mutation { defineTag(input: {code: "vip", nameZh: "我的", nameEn: "Mine", category: "value",
        scope: "advisor"}) { code } }"""
    assert error(gql(client, tokens["a1"], steal))[:2] == ("BAD_USER_INPUT", "input.code")
    other = """mutation { defineTag(input: {code: "d2_tag", nameZh: "x", nameEn: "x", category: "value",
        scope: "dealer", ownerId: "D2"}) { code } }"""
    assert error(gql(client, tokens["d1"], other))[:2] == ("FORBIDDEN", "input.ownerId")

    copy = """mutation { copyTagTemplate(code: "dealer_vip") { code scope ownerId } }"""
    assert ok(gql(client, tokens["d1"], copy))["copyTagTemplate"] == {
        "code": "dealer_vip@D1", "scope": "dealer", "ownerId": "D1"}
    assert error(gql(client, tokens["a1"], copy))[0] == "FORBIDDEN"
    ok(gql(client, tokens["a1"], TAG, target=C1, code="dealer_vip@D1"))  # D1's advisors use D1's tags
    assert error(gql(client, tokens["a2"], TAG, target={"label": "CUSTOMER_RECORD", "key": "dms:C2"},
                     code="dealer_vip@D1"))[1] == "code"


def test_example_tag_operations_run(client: TestClient, tokens: dict[str, str]) -> None:
    variables = {
        "tag_relationship": {"key": "dms:C1", "advisorId": "A1"},
        "tag_library": {"category": "intent"},
        "tagged_entities": {"code": "trusts_advisor", "minConfidence": 0.5},
        "tag_health": {"codes": ["budget_band", "trusts_advisor"]},
    }
    for name, vars_ in variables.items():
        data = ok(gql(client, tokens["a1"], (GRAPHQL_DIR / f"{name}.graphql").read_text(encoding="utf-8"), **vars_))
        assert all(data.values()), name
    edges = ok(gql(client, tokens["a1"], (GRAPHQL_DIR / "tagged_entities.graphql").read_text(encoding="utf-8"),
                   code="trusts_advisor"))["taggedEntities"]["edges"]
    assert [e["node"]["key"] for e in edges] == ["dms:C1"]


def test_a_persons_tags_are_the_union_over_the_records_you_see(client: TestClient, tokens: dict[str, str]) -> None:
    c2 = {"label": "CUSTOMER_RECORD", "key": "dms:C2"}
    ok(gql(client, tokens["analyst"], TAG, target=C1, code="budget_band", value="10-15万"))
    ok(gql(client, tokens["analyst"], TAG, target=c2, code="budget_band", value="20-30万"))
    query = """{ customer(oneId: "P1") { tags { tagCode value assignmentId } } }"""
    assert [t["assignmentId"] for t in ok(gql(client, tokens["analyst"], query))["customer"]["tags"]] == [
        "CustomerRecord|dms:C1|budget_band", "CustomerRecord|dms:C2|budget_band"]
    assert [t["value"] for t in ok(gql(client, tokens["a1"], query))["customer"]["tags"]] == ["10-15万"]
