"""Households: two persons (not one) who share a family phone or a home address get a SAME_HOUSEHOLD with
its evidence; a suspect phone makes none; the API, the steward page's query and segments read them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rows import row
from starlette.testclient import TestClient

from carkg.api.app import create_app
from carkg.auth import Role
from carkg.auth.tokens import create_token
from carkg.graph import Database
from carkg.graph.database import Target
from carkg.identity import resolve
from carkg.paths import GRAPHQL_DIR
from carkg.segments.engine import count
from carkg.settings import ApiSettings

FAMILY = "+8613912340001"
JWT_SECRET = "test-secret-for-jwt-verification-0123456789"


def households(db: Database) -> dict[frozenset[str], list[str]]:
    rows = db.query("MATCH (a:Person)-[h:SAME_HOUSEHOLD]->(b:Person) "
                    "MATCH (a)<-[:RESOLVED_TO]-(ra:CustomerRecord), (b)<-[:RESOLVED_TO]-(rb:CustomerRecord) "
                    "RETURN elementId(h) AS h, collect(DISTINCT ra.key) + collect(DISTINCT rb.key) AS keys, "
                    "h.evidence AS evidence")
    return {frozenset(r["keys"]): sorted(r["evidence"]) for r in rows}


def family(db: Database) -> None:
    db.write("identity/fixture_records", rows=[
        row("eval:wang-1", "王建国", birth="1960-03-02", phones=[FAMILY], number="P1234567"),
        row("eval:wang-2", "王建国", birth="1960-03-02", phones=[FAMILY], number="P1234567"),
        row("eval:li", "李秀英", birth="1962-08-09", phones=[FAMILY]),  # his wife: the family number
        row("eval:test-a", "赵一", phones=["+8613800138000"]),  # a test number: suspect, no household
        row("eval:test-b", "钱二", phones=["+8613800138000"]),
        row("eval:smith", "john smith", address="12 stanley street, miami", birth="1970-01-01"),
        row("eval:smith-jr", "jack smith", address="12 stanley street, miami", birth="1999-05-05"),
    ])


def test_a_family_phone_and_a_home_address_make_households_not_persons(db: Database) -> None:
    family(db)
    report = resolve(db)
    persons = {r["key"]: r["oneId"] for r in db.read("identity/persons_of")}
    assert persons["eval:wang-1"] == persons["eval:wang-2"] != persons["eval:li"]
    assert persons["eval:smith"] != persons["eval:smith-jr"]
    found = households(db)
    assert found == {
        frozenset({"eval:wang-1", "eval:wang-2", "eval:li"}): ["phone number"],
        frozenset({"eval:smith", "eval:smith-jr"}): ["address"],
    }
    assert report.households == 2
    # a son joins through the family phone in an incremental run: households with both parents, none lost
    db.write("identity/fixture_records", rows=[row("eval:wang-son", "王小明", birth="1988-01-01", phones=[FAMILY])])
    resolve(db, incremental=True)
    assert len(households(db)) == 4
    assert sum(1 for keys in households(db) if "eval:wang-son" in keys) == 2


@pytest.fixture
def client(db: Database, neo4j_target: Target) -> Iterator[TestClient]:
    settings = ApiSettings(jwt_secret=JWT_SECRET, jwt_issuer="https://apps.example", token_cache_seconds=0)
    with TestClient(create_app(neo4j_target, settings)) as c:
        yield c


def test_graphql_the_steward_query_and_segments_read_households(db: Database, client: TestClient) -> None:
    family(db)
    resolve(db)
    wife = next(r["oneId"] for r in db.read("identity/persons_of") if r["key"] == "eval:li")
    token = create_token(db, "t-admin", Role.ADMIN)
    query = "query ($id: String!) { customer(oneId: $id) { oneId household { customer { oneId } evidence } } }"
    body = client.post("/graphql", json={"query": query, "variables": {"id": wife}},
                       headers={"Authorization": f"Bearer {token}"}).json()
    assert "errors" not in body, body
    [member] = body["data"]["customer"]["household"]
    assert member["evidence"] == ["phone number"] and member["customer"]["oneId"] != wife
    assert "household { customer { oneId } evidence }" in (GRAPHQL_DIR / "steward_case.graphql").read_text()

    assert count(db, {"kind": "household"}) == 4  # the Wangs and the Smiths, each side
    assert count(db, {"kind": "household", "evidence": "address"}) == 2
    assert count(db, {"kind": "household", "minMembers": 2}) == 0
    assert count(db, {"kind": "not", "condition": {"kind": "household"}}) == 2  # the two on a test number
