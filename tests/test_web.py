"""The pages, over HTTP against a real graph: GraphiQL from the package's own files, the steward page
(sign-in, refusals, the queue, a case, decisions and splits through the API's mutations, conflicts,
escaping) and the Neo4j Browser guide. tests/test_web_browser.py drives the same pages in Chromium."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient
from steward_world import build

from carkg.api.app import create_app
from carkg.auth import Role
from carkg.auth.tokens import create_token
from carkg.graph import Database
from carkg.graph.database import Target
from carkg.localneo4j import LocalServer
from carkg.settings import ApiSettings, LocalServerSettings
from carkg.web.guide import analyst_queries
from carkg.web.pages import vendored


@pytest.fixture(scope="module")
def client(neo4j_target: Target) -> Iterator[TestClient]:
    with TestClient(create_app(neo4j_target, ApiSettings(token_cache_seconds=0)), follow_redirects=False) as c:
        yield c


@pytest.fixture
def tokens(db: Database) -> dict[str, str]:
    build(db)
    return {name: create_token(db, f"t-{name}", role) for name, role in
            [("steward", Role.STEWARD), ("steward2", Role.STEWARD), ("analyst", Role.ANALYST), ("admin", Role.ADMIN)]}


def sign_in(client: TestClient, token: str) -> None:
    client.cookies.clear()
    resp = client.post("/steward/login", data={"token": token})
    assert resp.status_code == 303 and resp.headers["location"] == "/steward", resp.text


def form_token(page: str) -> str:
    found = re.search(r'name="formToken" value="([0-9a-f]+)"', page)
    assert found, "the page has no decision form"
    return found[1]


def status_of(db: Database, case_id: str) -> dict[str, object]:
    return db.query("MATCH (c:ReviewCase {caseId: $id}) RETURN c {.status, .decision, .decidedBy} AS c",
                    {"id": case_id})[0]["c"]


# -- GraphiQL ---------------------------------------------------------------------------------------------


def test_graphiql_is_served_from_the_package_and_asks_for_a_token(client: TestClient) -> None:
    assert vendored() is not None, "run `make install`: it vendors GraphiQL into the package"
    page = client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert "/static/vendor/graphiql.min.js" in sources and all(s.startswith("/static/") for s in sources)
    defaults = json.loads(re.search(r'id="graphiql-defaults">(.*?)</script>', page.text, re.S)[1])  # type: ignore[index]
    assert json.loads(defaults["headers"]) == {"Authorization": "Bearer <paste a token here>"}
    assert "query Customer360" in defaults["query"]
    for path in sources:
        asset = client.get(path)
        assert asset.status_code == 200 and len(asset.content) > 100, path
    assert client.get("/static/vendor/graphiql.min.js").headers["content-type"].startswith(
        ("text/javascript", "application/javascript"))


# -- signing in -------------------------------------------------------------------------------------------


def test_missing_wrong_or_non_steward_tokens_get_the_login_page_with_a_clear_message(
        client: TestClient, tokens: dict[str, str]) -> None:
    client.cookies.clear()
    page = client.get("/steward")
    assert page.status_code == 401 and "Sign in with a steward token" in page.text
    assert client.post("/steward/login", data={"token": ""}).status_code == 400
    wrong = client.post("/steward/login", data={"token": "ckg_not-a-real-token"})
    assert wrong.status_code == 401 and "The token was refused: unknown or revoked token" in wrong.text
    assert "set-cookie" not in wrong.headers or "Max-Age=0" in wrong.headers["set-cookie"]
    analyst = client.post("/steward/login", data={"token": tokens["analyst"]})
    assert analyst.status_code == 403
    assert "role is analyst: the review page is for data stewards and admins" in analyst.text
    client.cookies.set("carkg_steward", tokens["analyst"], path="/steward")
    assert client.get("/steward").status_code == 403
    for resp in (page, wrong, analyst):
        assert "Traceback" not in resp.text and tokens["analyst"] not in resp.text


def test_signing_in_keeps_the_token_in_an_http_only_strict_cookie(client: TestClient, tokens: dict[str, str]) -> None:
    client.cookies.clear()
    resp = client.post("/steward/login", data={"token": tokens["steward"]})
    cookie = resp.headers["set-cookie"]
    assert resp.status_code == 303 and tokens["steward"] not in resp.headers["location"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/steward" in cookie
    queue = client.get("/steward")
    assert queue.status_code == 200 and "t-steward" in queue.text
    signed_out = client.post("/steward/logout")
    assert signed_out.status_code == 200 and "Max-Age=0" in signed_out.headers["set-cookie"]


# -- the queue and a case -----------------------------------------------------------------------------------


def test_the_queue_is_riskiest_first_and_filters(client: TestClient, db: Database, tokens: dict[str, str]) -> None:
    db.query("MATCH (c:ReviewCase) SET c.risk = CASE c.caseId WHEN 'RC-C1' THEN 1.0 WHEN 'RC-P3' THEN 0.8 ELSE 0.1 END")
    sign_in(client, tokens["steward"])
    page = client.get("/steward").text
    assert re.findall(r'href="/steward/cases/(RC-\w+)', page) == ["RC-C1", "RC-P3", "RC-P1"]
    assert re.findall(r'href="/steward/cases/(RC-\w+)', client.get("/steward?order=score").text) == [
        "RC-P1", "RC-P3", "RC-C1"]
    assert re.findall(r'href="/steward/cases/(RC-\w+)', client.get("/steward?kind=conflict").text) == ["RC-C1"]
    assert "No open case for these filters" in client.get("/steward?dealer=D-NONE").text
    assert re.search(r"<b>3</b> left", page)


def test_a_case_shows_records_side_by_side_and_escapes_every_value(
        client: TestClient, db: Database, tokens: dict[str, str]) -> None:
    db.query("MATCH (r:CustomerRecord {key: 'leads:L1'}) SET r.name = '<script>alert(1)</script>', r.city = '<b>x'")
    sign_in(client, tokens["steward"])
    page = client.get("/steward/cases/RC-P1")
    assert page.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text and "&lt;b&gt;x" in page.text
    assert "<script>alert(1)" not in page.text and "<b>x" not in page.text
    assert "\\u003cscript\\u003ealert(1)" in page.text  # the picture's JSON, escaped too
    assert "+86138****0001" in page.text and "+8613800000001" not in page.text  # identifiers masked
    assert 'id="accept"' in page.text and 'id="reject"' in page.text and 'id="next"' in page.text
    assert client.get("/steward/cases/RC-NOPE").status_code == 404
    assert 'id="accept"' not in client.get("/steward/cases/RC-C1").text  # a conflict cannot be accepted


# -- deciding -----------------------------------------------------------------------------------------------


def test_rejecting_from_the_page_runs_the_mutation_audits_it_and_goes_to_the_next_case(
        client: TestClient, db: Database, tokens: dict[str, str]) -> None:
    sign_in(client, tokens["steward"])
    page = client.get("/steward/cases/RC-P1?order=score").text
    resp = client.post("/steward/cases/RC-P1/decide?order=score",
                       data={"decision": "reject", "reason": "different birth years", "formToken": form_token(page)})
    assert resp.status_code == 303 and resp.headers["location"].startswith("/steward/cases/RC-P3?")
    assert status_of(db, "RC-P1") == {"status": "decided", "decision": "reject", "decidedBy": "token:t-steward"}
    [entry] = db.query("MATCH (a:AuditEntry) RETURN a.actor AS actor, a.action AS action, a.reason AS reason")
    assert entry == {"actor": "token:t-steward", "action": "match_reject", "reason": "different birth years"}
    assert "RC-P1: reject recorded" in client.get(resp.headers["location"]).text


def test_a_form_without_the_form_token_or_with_a_short_reason_changes_nothing(
        client: TestClient, db: Database, tokens: dict[str, str]) -> None:
    sign_in(client, tokens["steward"])
    forged = client.post("/steward/cases/RC-P1/decide", data={"decision": "accept", "reason": "looks the same"})
    assert forged.status_code == 403 and "out of date or came from another site" in forged.text
    page = client.get("/steward/cases/RC-P1").text
    short = client.post("/steward/cases/RC-P1/decide",
                        data={"decision": "accept", "reason": "ok", "formToken": form_token(page)})
    assert short.status_code == 400 and "reason:" in short.text and "at least 5" in short.text
    assert status_of(db, "RC-P1")["status"] == "open"


def test_a_case_decided_by_someone_else_meanwhile_is_a_conflict_naming_them(
        client: TestClient, db: Database, tokens: dict[str, str]) -> None:
    sign_in(client, tokens["steward2"])
    page = client.get("/steward/cases/RC-P1").text
    decided = client.post("/graphql", headers={"Authorization": f"Bearer {tokens['steward']}"}, json={
        "query": 'mutation { decideCase(caseId: "RC-P1", decision: ACCEPT, reason: "same phone") { action } }'})
    assert decided.json()["data"]["decideCase"]["action"] == "match_accept"
    late = client.post("/steward/cases/RC-P1/decide",
                       data={"decision": "reject", "reason": "not the same person", "formToken": form_token(page)})
    assert late.status_code == 409
    assert "was decided already by token:t-steward (accept" in late.text
    assert status_of(db, "RC-P1") == {"status": "decided", "decision": "accept", "decidedBy": "token:t-steward"}


def test_splitting_a_customer_from_the_page(client: TestClient, db: Database, tokens: dict[str, str]) -> None:
    sign_in(client, tokens["admin"])
    page = client.get("/steward/cases/RC-C1").text
    assert 'name="oneId" value="OID-3"' in page
    resp = client.post("/steward/cases/RC-C1/split", data={
        "oneId": "OID-3", "move": ["dms:C3"], "reason": "different birth year", "formToken": form_token(page)})
    assert resp.status_code == 303, resp.text
    rows = db.query("MATCH (r:CustomerRecord)-[:RESOLVED_TO]->(p:Person) RETURN r.key AS key, p.oneId AS oneId")
    owners = {r["key"]: r["oneId"] for r in rows}
    assert owners["aftersales:A2"] == owners["dms:C2"] == "OID-3" != owners["dms:C3"]
    everything = client.post("/steward/cases/RC-C1/split", data={
        "oneId": "OID-3", "move": ["aftersales:A2", "dms:C2"], "reason": "all of them", "formToken": form_token(page)})
    assert everything.status_code == 400 and "some, not all" in everything.text


# -- the Browser guide ----------------------------------------------------------------------------------------


def test_the_guide_is_a_browser_guide_with_every_analyst_query_runnable(
        client: TestClient, db: Database, tokens: dict[str, str]) -> None:
    resp = client.get("/guide")
    assert resp.status_code == 200 and resp.headers["access-control-allow-origin"] == "*"
    assert resp.text.lstrip().startswith('<article class="guide">') and "<carousel" in resp.text
    queries = analyst_queries()
    assert [q.name for q in queries[:3]] == ["graph_model", "one_id_person", "tags_on_relationship"]
    for q in queries:
        assert f'<slide class="row-fluid" id="{q.name}">' in resp.text
    assert resp.text.count('class="runnable') == len(queries) + sum(len(q.params) for q in queries)
    assert ":param key =&gt; &#39;dms:C0000001&#39;" in resp.text
    preflight = client.options("/guide")
    assert preflight.status_code == 204 and preflight.headers["access-control-allow-origin"] == "*"
    for q in queries:  # each runs, with its :param lines, on the review world
        params = {k: db.query(f"RETURN {e} AS v")[0]["v"] for k, e in q.params.items()}
        db.query(q.query, params)


def test_the_local_server_lets_browser_play_the_guide(tmp_path: object) -> None:
    config = LocalServer(LocalServerSettings())._config()
    assert "browser.remote_content_hostname_whitelist=localhost,127.0.0.1" in config
