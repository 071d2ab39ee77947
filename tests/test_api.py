"""The GraphQL API platform against a real graph: who sees what, masking and audited reveals, error
codes, guard rails, pagination, DataLoaders and the committed SDL."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import jwt
import pytest
from starlette.testclient import TestClient

from carkg.api.app import create_app
from carkg.auth import Role
from carkg.auth.tokens import create_token, revoke_token
from carkg.demo import generate
from carkg.graph import Database
from carkg.graph.database import Target
from carkg.ingest import Loader
from carkg.paths import GRAPHQL_DIR
from carkg.settings import ApiSettings

JWT_SECRET = "test-secret-for-jwt-verification-0123456789"
RECORD = GRAPHQL_DIR.joinpath("customer_record.graphql").read_text(encoding="utf-8")
PAGE = """query ($first: Int!, $filter: CustomerRecordFilter) {
  customerRecords(first: $first, filter: $filter) {
    edges { node { key name phones { masked } idDocuments { masked } tags { tagCode }
                   vehicles { node { vin model { code brand { name } } } tags { tagCode } }
                   advisors { node { advisorId dealer { name } } tags { tagCode } }
                   leads { node { leadId model { code } } } dealers { dealerId } customer { oneId } } }
    pageInfo { hasNextPage endCursor }
  }
}"""


@pytest.fixture(scope="module")
def graph(database: Database, tmp_path_factory: pytest.TempPathFactory) -> Database:
    """The 80-customer demo, loaded once for the module, with two hand-made resolved customers."""
    tmp = tmp_path_factory.mktemp("api")
    database.wipe()
    database.apply_schema()
    generate(tmp / "exports", customers=80, seed=11, bad_row_rate=0)
    Loader(database, key=bytes(31) + b"\x01", batch_size=500, progress=False).load(tmp / "exports", tmp / "r.csv")
    database.query("""
        MATCH (r:CustomerRecord) WHERE r.stub IS NULL WITH r ORDER BY r.key LIMIT 3
        MERGE (p:Person {oneId: 'OID-TEST-1'})
        MERGE (r)-[:RESOLVED_TO {method: 'test', score: 0.99, runId: 'run-test'}]->(p)""")
    return database


@pytest.fixture(scope="module")
def tokens(graph: Database) -> dict[str, str]:
    advisor = graph.query("""
        MATCH (a:Advisor)-[:WORKS_AT]->(d:Dealer), (:CustomerRecord)-[:SERVED_BY]->(a)
        RETURN a.advisorId AS a, d.dealerId AS d ORDER BY a LIMIT 1""")[0]
    return {
        "admin": create_token(graph, "t-admin", Role.ADMIN),
        "analyst": create_token(graph, "t-analyst", Role.ANALYST),
        "steward": create_token(graph, "t-steward", Role.STEWARD),
        "advisor": create_token(graph, "t-advisor", Role.ADVISOR, advisor_id=advisor["a"], dealer_id=advisor["d"]),
        "dealer_app": create_token(graph, "t-dealer-app", Role.APP, dealer_id=advisor["d"]),
        "advisor_id": advisor["a"],
        "dealer_id": advisor["d"],
    }


@pytest.fixture(scope="module")
def client(graph: Database, neo4j_target: Target) -> Iterator[TestClient]:
    settings = ApiSettings(jwt_secret=JWT_SECRET, jwt_issuer="https://apps.example", token_cache_seconds=0)
    with TestClient(create_app(neo4j_target, settings)) as c:
        yield c


def gql(client: TestClient, query: str, token: str | None = None, **variables: object) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    resp = client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    assert resp.status_code == 200, resp.text
    return resp.json()


def codes(body: dict) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors", [])]


# -- health ---------------------------------------------------------------------------------------


def test_health_and_ready(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    ready = client.get("/ready").json()
    assert ready["status"] == "ready" and ready["constraints"] > 10


def test_every_response_carries_a_request_id_and_a_json_log_line(
    client: TestClient, tokens: dict, capsys: pytest.CaptureFixture[str]
) -> None:
    resp = client.post("/graphql", json={"query": "{ me { role } }"},
                       headers={"Authorization": f"Bearer {tokens['analyst']}", "X-Request-ID": "req-12345678"})
    assert resp.headers["x-request-id"] == "req-12345678"
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    request_lines = [entry for entry in lines if entry.get("event") == "request"]
    assert request_lines and request_lines[-1]["request_id"] == "req-12345678"
    assert request_lines[-1]["status"] == 200 and request_lines[-1]["caller"] == "token:t-analyst"


# -- authentication -------------------------------------------------------------------------------


def test_no_token_is_unauthenticated_and_a_bad_token_says_why(client: TestClient, tokens: dict) -> None:
    assert codes(gql(client, "{ me { role } }")) == ["UNAUTHENTICATED"]
    body = gql(client, "{ me { role } }", token="ckg_not-a-real-token")
    assert codes(body) == ["UNAUTHENTICATED"] and "unknown or revoked" in body["errors"][0]["message"]
    assert gql(client, "{ me { role advisorId } }", token=tokens["advisor"])["data"]["me"]["role"] == "advisor"


def test_a_revoked_token_stops_working(client: TestClient, graph: Database) -> None:
    token = create_token(graph, "t-short-lived", Role.ANALYST)
    assert gql(client, "{ me { role } }", token=token)["data"]["me"]["role"] == "analyst"
    revoke_token(graph, "t-short-lived")
    assert codes(gql(client, "{ me { role } }", token=token)) == ["UNAUTHENTICATED"]


def test_tokens_are_stored_hashed(graph: Database, tokens: dict) -> None:
    stored = graph.query("MATCH (t:ApiToken {name: 't-analyst'}) RETURN properties(t) AS p")[0]["p"]
    assert tokens["analyst"] not in json.dumps(stored, default=str)
    assert len(stored["hash"]) == 64


def test_a_jwt_from_the_apps_issuer_is_accepted_and_a_forged_one_is_not(client: TestClient, tokens: dict) -> None:
    claims = {"sub": "workbench-user-7", "iss": "https://apps.example", "aud": "carkg", "exp": int(time.time()) + 60,
              "carkg": {"role": "advisor", "advisorId": tokens["advisor_id"], "dealerId": tokens["dealer_id"]}}
    good = jwt.encode(claims, JWT_SECRET, algorithm="HS256")
    me = gql(client, "{ me { subject role dealerId } }", token=good)["data"]["me"]
    assert me == {"subject": "jwt:workbench-user-7", "role": "advisor", "dealerId": tokens["dealer_id"]}
    forged = jwt.encode(claims, "another-secret-another-secret-0123456789", algorithm="HS256")
    body = gql(client, "{ me { role } }", token=forged)
    assert codes(body) == ["UNAUTHENTICATED"] and "signature" in body["errors"][0]["message"].lower()


# -- row scope --------------------------------------------------------------------------------------


def _foreign_record(graph: Database, advisor_id: str, dealer_id: str) -> str:
    """A record with no tie to the advisor or their dealer, found by walking the graph independently."""
    return graph.query("""
        MATCH (r:CustomerRecord)-[:CUSTOMER_OF|SERVED_BY|HAS_LEAD|HAD_SERVICE*1..3]-(d:Dealer)
        WHERE r.stub IS NULL AND d.dealerId <> $d
          AND NOT (r)-[:SERVED_BY]->(:Advisor {advisorId: $a})
          AND NOT (r)-[:CUSTOMER_OF|SERVED_BY|HAS_LEAD|HAD_SERVICE*1..3]-(:Dealer {dealerId: $d})
        RETURN r.key AS key ORDER BY key LIMIT 1""", {"a": advisor_id, "d": dealer_id})[0]["key"]


def test_an_advisor_sees_nothing_of_another_dealers_customer(client: TestClient, graph: Database, tokens: dict) -> None:
    foreign = _foreign_record(graph, tokens["advisor_id"], tokens["dealer_id"])
    query = "query ($k: String!) { customerRecord(key: $k) { key } }"
    assert gql(client, query, token=tokens["advisor"], k=foreign)["data"]["customerRecord"] is None
    assert gql(client, query, token=tokens["dealer_app"], k=foreign)["data"]["customerRecord"] is None
    assert gql(client, query, token=tokens["analyst"], k=foreign)["data"]["customerRecord"]["key"] == foreign
    page = gql(client, PAGE, token=tokens["advisor"], first=100)["data"]["customerRecords"]["edges"]
    keys = {e["node"]["key"] for e in page}
    assert keys and foreign not in keys
    served = graph.query("MATCH (r:CustomerRecord)-[:SERVED_BY]->(:Advisor {advisorId: $a}) RETURN r.key AS k",
                         {"a": tokens["advisor_id"]})
    assert {r["k"] for r in served} <= keys
    node_id = gql(client, query.replace("{ key }", "{ id }"), token=tokens["analyst"], k=foreign)
    gid = node_id["data"]["customerRecord"]["id"]
    by_node = gql(client, "query ($id: ID!) { node(id: $id) { id } }", token=tokens["advisor"], id=gid)
    assert by_node["data"]["node"] is None


def test_a_resolved_customer_shows_only_records_in_scope(client: TestClient, tokens: dict) -> None:
    query = "{ customer(oneId: \"OID-TEST-1\") { oneId records { method score runId node { key } } } }"
    full = gql(client, query, token=tokens["analyst"])["data"]["customer"]
    assert full["oneId"] == "OID-TEST-1" and len(full["records"]) == 3
    assert {r["method"] for r in full["records"]} == {"test"}


def test_a_customer_360_is_one_query(client: TestClient, tokens: dict) -> None:
    document = (GRAPHQL_DIR / "customer_360.graphql").read_text("utf-8")
    answer = gql(client, document, token=tokens["analyst"], oneId="OID-TEST-1")
    records = answer["data"]["customer"]["records"]
    assert len(records) == 3 and all(r["node"]["phones"] is not None for r in records)
    # the token's lookup (this suite caches no token) and one read for the customer, records and details
    assert answer["extensions"]["queries"] == 2


# -- personal data --------------------------------------------------------------------------------


def test_an_analyst_sees_masked_phones_and_ids_only(client: TestClient, graph: Database, tokens: dict) -> None:
    key = graph.query("""MATCH (r:CustomerRecord {system: 'dms'})-[:HAS_PHONE]->(), (r)-[:HAS_ID]->()
                         RETURN r.key AS key ORDER BY key LIMIT 1""")[0]["key"]
    data = gql(client, RECORD, token=tokens["analyst"], key=key)["data"]["customerRecord"]
    assert data["phones"] and all("****" in p["masked"] for p in data["phones"])
    assert data["idDocuments"] and all("********" in i["masked"] for i in data["idDocuments"])
    raw = graph.query("MATCH (:CustomerRecord {key: $k})-[:HAS_PHONE]->(p) RETURN p.e164 AS e", {"k": key})[0]["e"]
    assert raw[3:] not in json.dumps(data)


def test_a_stewards_reveal_lands_in_the_audit_log(client: TestClient, graph: Database, tokens: dict) -> None:
    key = graph.query("MATCH (r:CustomerRecord)-[:HAS_PHONE]->() RETURN r.key AS k ORDER BY k LIMIT 1")[0]["k"]
    phone = gql(client, RECORD, token=tokens["steward"], key=key)["data"]["customerRecord"]["phones"][0]
    reveal = GRAPHQL_DIR.joinpath("reveal_phone.graphql").read_text(encoding="utf-8")
    reason = "customer called about a recall, verifying the callback number"
    analyst = gql(client, reveal, token=tokens["analyst"], phoneId=phone["id"], reason=reason)
    assert codes(analyst) == ["FORBIDDEN"]
    short = gql(client, reveal, token=tokens["steward"], phoneId=phone["id"], reason="why")
    assert codes(short) == ["BAD_USER_INPUT"] and short["errors"][0]["extensions"]["field"] == "reason"
    body = gql(client, reveal, token=tokens["steward"], phoneId=phone["id"], reason=reason)
    revealed = body["data"]["revealPhone"]
    raw = graph.query("MATCH (:CustomerRecord {key: $k})-[:HAS_PHONE]->(p) WHERE p.masked = $m RETURN p.e164 AS e",
                      {"k": key, "m": phone["masked"]})[0]["e"]
    assert revealed["e164"] == raw
    entry = graph.query("MATCH (a:AuditEntry {id: $id}) RETURN properties(a) AS a", {"id": revealed["auditId"]})[0]["a"]
    assert entry["actor"] == "token:t-steward" and entry["action"] == "reveal" and entry["reason"] == reason
    assert entry["target"] == phone["id"] and entry["at"] is not None
    log = gql(client, "{ auditLog(first: 5) { edges { node { actor action reason } } } }", token=tokens["steward"])
    assert log["data"]["auditLog"]["edges"][0]["node"]["reason"] == reason


def test_secrets_never_reach_the_logs(client: TestClient, graph: Database, tokens: dict, neo4j_target: Target,
                                      capfd: pytest.CaptureFixture[str]) -> None:
    key = graph.query("MATCH (r:CustomerRecord)-[:HAS_PHONE]->() RETURN r.key AS k ORDER BY k LIMIT 1")[0]["k"]
    phone = gql(client, RECORD, token=tokens["steward"], key=key)["data"]["customerRecord"]["phones"][0]
    reveal = GRAPHQL_DIR.joinpath("reveal_phone.graphql").read_text(encoding="utf-8")
    capfd.readouterr()
    raw = gql(client, reveal, token=tokens["steward"], phoneId=phone["id"],
              reason="customer asked for a callback on this number")["data"]["revealPhone"]["e164"]
    wrong = "ckg_" + "x" * 43
    assert codes(gql(client, "{ me { role } }", token=wrong)) == ["UNAUTHENTICATED"]
    for token in (tokens["admin"], tokens["advisor"]):
        gql(client, "{ me { role } }", token=token)
    client.get("/ready", headers={"Authorization": f"Bearer {tokens['admin']}"})
    out, err = capfd.readouterr()
    assert '"path": "/graphql"' in out  # the requests were logged
    for secret in (tokens["steward"], tokens["admin"], tokens["advisor"], wrong, neo4j_target.password, raw,
                   raw[3:]):
        assert secret not in out + err


# -- errors and guard rails ---------------------------------------------------------------------------


def test_bad_input_names_the_field(client: TestClient, tokens: dict) -> None:
    body = gql(client, PAGE, token=tokens["analyst"], first=20, filter={"phone": "12345"})
    assert codes(body) == ["BAD_USER_INPUT"] and body["errors"][0]["message"].startswith("filter.phone:")
    body = gql(client, PAGE, token=tokens["analyst"], first=1000)
    assert codes(body) == ["BAD_USER_INPUT"] and body["errors"][0]["message"].startswith("first:")
    body = gql(client, "{ customerRecord(key: \"no-colon\") { key } }", token=tokens["analyst"])
    assert body["errors"][0]["message"].startswith("key:")
    body = gql(client, "{ customerRecord(key: 1) { key } }", token=tokens["analyst"])
    assert codes(body) == ["BAD_USER_INPUT"]
    body = gql(client, "{ customerRecord(key: \"dms:X\") { noSuchField } }", token=tokens["analyst"])
    assert codes(body) == ["BAD_USER_INPUT"] and "noSuchField" in body["errors"][0]["message"]


def test_a_depth_bomb_an_alias_bomb_and_a_costly_query_are_refused(client: TestClient, tokens: dict) -> None:
    deep = "{ customer(oneId: \"x\") { records { node { customer { records { node { customer { records { node " \
           "{ customer { records { node { key } } } } } } } } } } } } }"
    body = gql(client, deep, token=tokens["analyst"])
    assert codes(body) == ["LIMIT_EXCEEDED"] and "depth" in body["errors"][0]["message"]
    aliases = "{ " + " ".join(f"a{i}: me {{ role }}" for i in range(50)) + " }"
    body = gql(client, aliases, token=tokens["analyst"])
    assert codes(body) == ["LIMIT_EXCEEDED"] and "aliases" in body["errors"][0]["message"]
    costly = "{ customerRecords(first: 100) { edges { node { key " \
             + " ".join(f"f{i}: dealers {{ advisors {{ name dealer {{ name }} }} }}" for i in range(15)) + " } } } }"
    body = gql(client, costly, token=tokens["analyst"])
    assert codes(body) == ["LIMIT_EXCEEDED"] and "complexity" in body["errors"][0]["message"]


def test_a_request_over_its_time_is_stopped(graph: Database, neo4j_target: Target, tokens: dict) -> None:
    with TestClient(create_app(neo4j_target, ApiSettings(timeout_seconds=0.001))) as slow:
        body = gql(slow, PAGE, token=tokens["analyst"], first=50)
    assert codes(body) == ["LIMIT_EXCEEDED"] and "longer than" in body["errors"][0]["message"]


def test_a_filter_value_containing_cypher_is_data(client: TestClient, graph: Database, tokens: dict) -> None:
    before = graph.counts()
    for evil in ["') MATCH (n) DETACH DELETE n //", "x\" OR 1=1 //", "*/ MATCH (n) SET n.pwned = true /*"]:
        body = gql(client, PAGE, token=tokens["analyst"], first=10, filter={"nameContains": evil, "city": evil})
        assert "errors" not in body and body["data"]["customerRecords"]["edges"] == []
    assert graph.counts() == before
    assert graph.query("MATCH (n) WHERE n.pwned IS NOT NULL RETURN count(n) AS c")[0]["c"] == 0


# -- pagination and query count -------------------------------------------------------------------------


def test_pages_follow_each_other_without_overlap(client: TestClient, tokens: dict) -> None:
    first = gql(client, PAGE, token=tokens["analyst"], first=7)["data"]["customerRecords"]
    assert first["pageInfo"]["hasNextPage"] and len(first["edges"]) == 7
    query = PAGE.replace("$first: Int!,", "$first: Int!, $after: String,").replace(
        "first: $first,", "first: $first, after: $after,")
    second = gql(client, query, token=tokens["analyst"], first=7, after=first["pageInfo"]["endCursor"])
    keys1 = [e["node"]["key"] for e in first["edges"]]
    keys2 = [e["node"]["key"] for e in second["data"]["customerRecords"]["edges"]]
    assert keys2 and not set(keys1) & set(keys2) and keys1 + keys2 == sorted(keys1 + keys2)
    bad = gql(client, query, token=tokens["analyst"], first=7, after="garbage")
    assert codes(bad) == ["BAD_USER_INPUT"] and bad["errors"][0]["extensions"]["field"] == "after"


def test_a_nested_page_costs_the_same_number_of_queries_at_any_size(client: TestClient, tokens: dict) -> None:
    small = gql(client, PAGE, token=tokens["analyst"], first=5)
    large = gql(client, PAGE, token=tokens["analyst"], first=60)
    assert len(large["data"]["customerRecords"]["edges"]) == 60
    assert small["extensions"]["queries"] == large["extensions"]["queries"] <= 10


# -- schema and example operations ------------------------------------------------------------------------


def test_the_sdl_file_matches_the_running_schema() -> None:
    from carkg.api.schema import schema

    committed = (GRAPHQL_DIR / "schema.graphql").read_text(encoding="utf-8")
    assert committed == schema.as_str() + "\n", "run `carkg export-schema` and commit graphql/schema.graphql"


def test_introspection_answers_only_a_caller_with_a_token(client: TestClient, tokens: dict) -> None:
    for query in ("{ __schema { queryType { name } } }", '{ __type(name: "Customer") { name } }',
                  "query Q { me { role } __schema { types { name } } }"):
        anonymous = gql(client, query)
        assert codes(anonymous) == ["UNAUTHENTICATED"] and anonymous.get("data") is None, anonymous
        assert codes(gql(client, query, token="ckg_not-a-token")) == ["UNAUTHENTICATED"]
    assert gql(client, "{ __schema { queryType { name } } }", token=tokens["advisor"])["data"] == {
        "__schema": {"queryType": {"name": "Query"}}}
    assert "errors" not in gql(client, "{ __typename }")  # not introspection: it names no data


def test_example_operations_run(client: TestClient, graph: Database, tokens: dict, tmp_path: Path) -> None:
    key = graph.query("MATCH (r:CustomerRecord)-[:RESOLVED_TO]->() RETURN r.key AS k ORDER BY k LIMIT 1")[0]["k"]
    phone_holder = graph.query("MATCH (r:CustomerRecord)-[:HAS_PHONE]->(p) RETURN p.e164 AS e LIMIT 1")[0]["e"]
    variables = {
        "customer_record": {"key": key},
        "customer_records": {"filter": {"phone": phone_holder[3:]}},
        "customer_360": {"oneId": "OID-TEST-1"},
    }
    for name, vars_ in variables.items():
        body = gql(client, (GRAPHQL_DIR / f"{name}.graphql").read_text(encoding="utf-8"), token=tokens["analyst"],
                   **vars_)
        assert "errors" not in body, body
        assert all(body["data"].values()), name


def test_demo_tokens_are_private_and_reused(graph: Database, client: TestClient, tmp_path: Path) -> None:
    from carkg.auth.tokens import ensure_demo_tokens

    path = tmp_path / "demo-tokens.json"
    first = ensure_demo_tokens(graph, path)
    assert set(first) == {"admin", "analyst", "steward", "advisor"}
    assert path.stat().st_mode & 0o777 == 0o600
    assert ensure_demo_tokens(graph, path) == first
    me = gql(client, "{ me { role advisorId dealerId } }", token=first["advisor"])["data"]["me"]
    assert me["role"] == "advisor" and me["advisorId"] and me["dealerId"]


def test_node_finds_catalogue_and_identifier_objects_by_global_id(
    client: TestClient, graph: Database, tokens: dict
) -> None:
    material_id = graph.query("MATCH (m:Material)-[:FEATURES]->() RETURN m.materialId AS id LIMIT 1")[0]["id"]
    material = gql(client, "query ($id: String!) { material(materialId: $id) { id title model { code } } }",
                   token=tokens["advisor"], id=material_id)["data"]["material"]
    assert material["model"]["code"]
    again = gql(client, "query ($id: ID!) { node(id: $id) { ... on Material { materialId } } }",
                token=tokens["advisor"], id=material["id"])
    assert again["data"]["node"] == {"materialId": material_id}
    key = graph.query("MATCH (r:CustomerRecord)-[:HAS_PHONE]->() RETURN r.key AS k ORDER BY k LIMIT 1")[0]["k"]
    phone = gql(client, RECORD, token=tokens["analyst"], key=key)["data"]["customerRecord"]["phones"][0]
    query = "query ($id: ID!) { node(id: $id) { ... on Phone { masked } } }"
    assert gql(client, query, token=tokens["analyst"], id=phone["id"])["data"]["node"] == {"masked": phone["masked"]}
    assert codes(gql(client, query, token=tokens["advisor"], id=phone["id"])) == ["FORBIDDEN"]


def test_a_brand_is_a_node_with_its_models(client: TestClient, graph: Database, tokens: dict) -> None:
    expected = graph.query("""MATCH (b:Brand)<-[:OF_BRAND]-(m:VehicleModel)
                              RETURN b.code AS brand, collect(m.code) AS models ORDER BY brand LIMIT 1""")[0]
    brand = gql(client, "query ($c: String!) { brand(code: $c) { id code models { code brand { code } } } }",
                token=tokens["advisor"], c=expected["brand"])["data"]["brand"]
    assert sorted(m["code"] for m in brand["models"]) == sorted(expected["models"])
    assert {m["brand"]["code"] for m in brand["models"]} == {expected["brand"]}
    again = gql(client, "query ($id: ID!) { node(id: $id) { ... on Brand { code } } }", token=tokens["dealer_app"],
                id=brand["id"])
    assert again["data"]["node"] == {"code": expected["brand"]}
