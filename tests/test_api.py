"""The GraphQL API over the loaded demo: health, ready, customer lookup with masked personal data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from carkg.api.app import create_app
from carkg.demo import generate
from carkg.graph import Database
from carkg.graph.database import Target
from carkg.ingest import Loader

RECORD = """
query ($key: String!) {
  customerRecord(key: $key) {
    key name phones { masked } idDocuments { masked } vehicles { vin model { code } } advisors { advisorId }
  }
}"""


@pytest.fixture
def client(db: Database, key: bytes, neo4j_target: Target, tmp_path: Path) -> Iterator[TestClient]:
    generate(tmp_path / "exports", customers=60, seed=11, bad_row_rate=0)
    Loader(db, key=key, batch_size=500, progress=False).load(tmp_path / "exports", tmp_path / "rejects.csv")
    with TestClient(create_app(neo4j_target)) as c:
        yield c


def gql(client: TestClient, query: str, **variables: object) -> dict:
    resp = client.post("/graphql", json={"query": query, "variables": variables})
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_health_and_ready(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    ready = client.get("/ready").json()
    assert ready["status"] == "ready" and ready["constraints"] > 10


def test_customer_lookup_masks_phones_and_ids(client: TestClient, db: Database) -> None:
    key = db.query("""MATCH (r:CustomerRecord {system: 'dms'})-[:HAS_PHONE]->(), (r)-[:HAS_ID]->()
                      RETURN r.key AS key LIMIT 1""")[0]["key"]
    data = gql(client, RECORD, key=key)["data"]["customerRecord"]
    assert data["key"] == key
    assert data["phones"] and all("****" in p["masked"] for p in data["phones"])
    assert data["idDocuments"] and all("********" in i["masked"] for i in data["idDocuments"])
    raw = db.query("MATCH (:CustomerRecord {key: $k})-[:HAS_PHONE]->(p) RETURN p.e164 AS e", {"k": key})[0]["e"]
    assert raw[3:] not in str(data)


def test_lookup_by_phone_in_any_written_form(client: TestClient, db: Database) -> None:
    e164 = db.query("MATCH (p:Phone {mobile: true})<-[:HAS_PHONE]-(:CustomerRecord) RETURN p.e164 AS e LIMIT 1")[0]["e"]
    national = e164.removeprefix("+86")
    spaced = f"{national[:3]} {national[3:7]} {national[7:]}"
    query = "query ($p: String!) { customerRecordsByPhone(phone: $p) { key } }"
    a = gql(client, query, p=e164)["data"]["customerRecordsByPhone"]
    b = gql(client, query, p=spaced)["data"]["customerRecordsByPhone"]
    assert a and a == b


def test_bad_input_names_the_argument(client: TestClient) -> None:
    body = gql(client, "{ customerRecordsByPhone(phone: \"12345\") { key } }")
    error = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["message"].startswith("phone:")
    body = gql(client, "{ customerRecord(key: \"no-colon\") { key } }")
    assert body["errors"][0]["message"].startswith("key:")
    assert gql(client, "{ customerRecord(key: \"dms:NOPE\") { key } }")["data"]["customerRecord"] is None


def test_the_sdl_file_matches_the_running_schema() -> None:
    from carkg.api.schema import schema
    from carkg.paths import GRAPHQL_DIR

    committed = (GRAPHQL_DIR / "schema.graphql").read_text(encoding="utf-8")
    assert committed == schema.as_str() + "\n", "run `carkg export-schema` and commit graphql/schema.graphql"


def test_example_operations_run(client: TestClient, db: Database) -> None:
    from carkg.paths import GRAPHQL_DIR

    key = db.query(
        "MATCH (r:CustomerRecord {system: 'dms'})-[:HAS_PHONE]->(p) RETURN r.key AS k, p.e164 AS e LIMIT 1"
    )[0]
    variables = {"customer_record": {"key": key["k"]}, "customer_records_by_phone": {"phone": key["e"]}}
    for name, vars_ in variables.items():
        body = gql(client, (GRAPHQL_DIR / f"{name}.graphql").read_text(encoding="utf-8"), **vars_)
        assert "errors" not in body, body
        assert body["data"], name
