"""Segments over GraphQL: the example operations in graphql/segment_*.graphql, roles and row scope."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from segment_world import small_world
from starlette.testclient import TestClient

from carkg.api.app import create_app
from carkg.auth import Role
from carkg.auth.tokens import create_token
from carkg.graph import Database
from carkg.graph.database import Target
from carkg.paths import GRAPHQL_DIR
from carkg.settings import ApiSettings

FIELD = {"kind": "or", "conditions": [{"kind": "tag", "code": "high_purchase_intent"}, {"kind": "lead"}]}


def op(name: str) -> str:
    return (GRAPHQL_DIR / f"segment_{name}.graphql").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def graph(database: Database) -> Database:
    return small_world(database)  # intent tag: P1, P2; a lead: P1, P2, P3; the advisor A1 serves P3


@pytest.fixture(scope="module")
def tokens(graph: Database) -> dict[str, str]:
    return {
        "admin": create_token(graph, "s-admin", Role.ADMIN),
        "analyst": create_token(graph, "s-analyst", Role.ANALYST),
        "advisor": create_token(graph, "s-advisor", Role.ADVISOR, advisor_id="A1", dealer_id="D1"),
        "app": create_token(graph, "s-app", Role.APP, dealer_id="D1"),
        "steward": create_token(graph, "s-steward", Role.STEWARD),
    }


@pytest.fixture(scope="module")
def client(graph: Database, neo4j_target: Target) -> Iterator[TestClient]:
    with TestClient(create_app(neo4j_target, ApiSettings(token_cache_seconds=0))) as c:
        yield c


def gql(client: TestClient, query: str, token: str, **variables: Any) -> dict[str, Any]:
    resp = client.post("/graphql", json={"query": query, "variables": variables},
                       headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_count_members_and_explain(client: TestClient, tokens: dict[str, str]) -> None:
    assert gql(client, op("count"), tokens["analyst"], definition=FIELD)["data"]["segmentCount"] == 3
    page = gql(client, op("members"), tokens["analyst"], definition=FIELD, first=2)["data"]["segmentMembers"]
    assert [e["node"]["oneId"] for e in page["edges"]] == ["P1", "P2"] and page["pageInfo"]["hasNextPage"]
    assert page["edges"][0]["node"] == {"oneId": "P1", "maskedName": "张**", "maskedPhones": ["138****0001"],
                                        "tags": ["high_purchase_intent"]}
    rest = gql(client, op("members"), tokens["analyst"], definition=FIELD, first=2,
               after=page["pageInfo"]["endCursor"])["data"]["segmentMembers"]
    assert [e["node"]["oneId"] for e in rest["edges"]] == ["P3"] and not rest["pageInfo"]["hasNextPage"]
    explained = gql(client, op("explain"), tokens["analyst"], definition=FIELD)["data"]["explainSegment"]
    assert explained["anchor"] == "person label scan" and ":param now => datetime(" in explained["browser"]
    assert explained["params"]["s0"] == "high_purchase_intent"


def test_advisor_sees_only_their_customers(client: TestClient, tokens: dict[str, str]) -> None:
    assert gql(client, op("count"), tokens["advisor"], definition=FIELD)["data"]["segmentCount"] == 1
    page = gql(client, op("members"), tokens["advisor"], definition=FIELD)["data"]["segmentMembers"]
    assert [e["node"]["oneId"] for e in page["edges"]] == ["P3"]


def test_errors_name_the_condition(client: TestClient, tokens: dict[str, str]) -> None:
    unknown = {"kind": "or", "conditions": [{"kind": "tag", "code": "xx"}]}
    bad = {"kind": "and", "conditions": [{"kind": "lead"}, unknown]}
    body = gql(client, op("count"), tokens["analyst"], definition=bad)
    [error] = body["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "definition.and[1].or[0]"}
    assert error["message"] == "definition.and[1].or[0]: unknown tag code 'xx'"


def test_save_materialise_diff_and_list(client: TestClient, tokens: dict[str, str], graph: Database) -> None:
    saved = gql(client, op("save"), tokens["analyst"], id="intent-or-lead", definition=FIELD, name="Intent or lead")
    assert saved["data"]["saveSegment"]["latestVersion"] == 1 and saved["data"]["saveSegment"]["scope"] == "OEM"
    again = gql(client, op("save"), tokens["analyst"], id="intent-or-lead", definition=FIELD)
    assert again["data"]["saveSegment"]["latestVersion"] == 2
    run = gql(client, op("materialise"), tokens["analyst"], savedId="intent-or-lead")["data"]["materialiseSegment"]
    assert (run["count"], run["entered"], run["exited"]) == (3, 3, 0)
    diff = gql(client, op("diff"), tokens["analyst"], savedId="intent-or-lead")["data"]["segmentDiff"]
    assert diff["entered"] == ["P1", "P2", "P3"] and diff["fromRun"] is None
    # The advisor's view of the same diff holds only their customer.
    assert gql(client, op("diff"), tokens["advisor"], savedId="intent-or-lead")["data"]["segmentDiff"]["entered"] == [
        "P3"]
    assert gql(client, op("count"), tokens["analyst"], savedId="intent-or-lead")["data"]["segmentCount"] == 3
    listed = gql(client, op("saved"), tokens["advisor"])["data"]["savedSegments"]
    assert [s["id"] for s in listed] == ["intent-or-lead"] and listed[0]["lastRun"]["count"] == 3


def test_roles(client: TestClient, tokens: dict[str, str]) -> None:
    forbidden = gql(client, op("save"), tokens["advisor"], id="mine", definition=FIELD)
    assert forbidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    dealer = gql(client, op("save"), tokens["app"], id="d1-leads", definition={"kind": "lead"})["data"]["saveSegment"]
    assert (dealer["scope"], dealer["ownerId"]) == ("DEALER", "D1")
    oem = gql(client, op("save"), tokens["app"], id="oem-try", definition=FIELD, scope="OEM")
    assert oem["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    hidden = gql(client, op("save"), tokens["analyst"], id="d2-only", definition=FIELD, scope="DEALER", ownerId="D2")
    assert hidden["data"]["saveSegment"]["ownerId"] == "D2"
    missing = gql(client, op("count"), tokens["app"], savedId="d2-only")
    assert missing["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert "d2-only" not in [s["id"] for s in gql(client, op("saved"), tokens["app"])["data"]["savedSegments"]]
    assert gql(client, op("count"), tokens["steward"], definition=FIELD)["data"]["segmentCount"] == 3
