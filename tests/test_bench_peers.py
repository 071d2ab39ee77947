"""The peers of `carkg bench api --peers` answer the same questions as carkg, from the same graph: the bare
Starlette + driver endpoint and @neo4j/graphql (installed by the benchmark with npm) return the same records,
identifiers, vehicles, advisors and tags for a customer, and the same page of a tag; and the load generator
counts answers that carry errors as failed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from rich.console import Console
from starlette.testclient import TestClient

from carkg.api.app import create_app
from carkg.auth import Role
from carkg.auth.tokens import create_token
from carkg.bench.demo import prepare_demo_graph
from carkg.bench.peers.run import load, node_peer, node_tools, queries, wait_graphql
from carkg.bench.server import api_process, wait_ready
from carkg.graph import Database
from carkg.graph.database import Target
from carkg.settings import ApiSettings


@pytest.fixture(scope="module")
def graph(database: Database) -> dict[str, Any]:
    database.wipe()
    database.apply_schema()
    prepare_demo_graph(database, customers=150, seed=23, console=Console(quiet=True))
    busiest = database.query("""
        MATCH (r:CustomerRecord)-[:RESOLVED_TO]->(p:Person)
        WITH p, count(r) AS n ORDER BY n DESC, p.oneId LIMIT 1 RETURN p.oneId AS id""")[0]["id"]
    code = database.query("""
        MATCH (ta:TagAssignment) WHERE ta.removedAt IS NULL AND ta.tagCode IS NOT NULL
        RETURN ta.tagCode AS c, count(*) AS n ORDER BY n DESC LIMIT 1""")[0]["c"]
    return {"oneId": busiest, "code": code, "token": create_token(database, "peers-test", Role.ANALYST)}


@pytest.fixture(scope="module")
def carkg(neo4j_target: Target, graph: dict[str, Any]) -> Iterator[TestClient]:
    with TestClient(create_app(neo4j_target, ApiSettings(token_cache_seconds=0)),
                    headers={"Authorization": f"Bearer {graph['token']}"}) as client:
        yield client


def _ask(post: Any, peer: str, name: str, value: str) -> Any:
    query = next(q for q in queries() if q.name == name)
    answer = post(query.paths[peer], json={"query": query.documents[peer], "variables": {query.variable: value}})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert not body.get("errors"), body
    return body["data"][query.roots[peer]]


def _records(customer: dict[str, Any]) -> dict[str, Any]:
    """Per record key: what a customer-360 shows of it, in one shape for every peer."""
    out = {}
    for edge in customer["records"]:
        r = edge["node"]
        out[r["key"]] = (
            edge["method"], round(edge["score"], 6), r["name"], r["city"],
            sorted(p["masked"] for p in r["phones"]), sorted(i["masked"] for i in r["idDocuments"]),
            sorted(w["maskedUnionId"] for w in r["wechatAccounts"]),
            sorted((v["node"]["vin"], (v["node"]["model"] or {}).get("code")) for v in r["vehicles"]),
            sorted((a["node"]["advisorId"], (a["node"]["dealer"] or {}).get("dealerId")) for a in r["advisors"]),
            sorted((t["tagCode"], t["value"]) for t in r["tags"]),
        )
    return out


def test_the_bare_driver_endpoint_answers_what_carkg_answers(neo4j_target: Target, graph: dict[str, Any],
                                                            carkg: TestClient, tmp_path: Path, free_port: int) -> None:
    with api_process(neo4j_target, free_port, 1, tmp_path / "bare.log", app="carkg.bench.peers.bare:create_app") as p:
        base = f"http://127.0.0.1:{free_port}"
        wait_ready(f"{base}/ready", p)
        with httpx.Client(base_url=base) as bare:
            mine = _ask(carkg.post, "carkg", "customer360", graph["oneId"])
            theirs = _ask(bare.post, "bare_driver", "customer360", graph["oneId"])
            assert len(mine["records"]) >= 2 and _records(theirs) == _records(mine)
            page = _ask(carkg.post, "carkg", "tagged", graph["code"])["edges"]
            bare_page = _ask(bare.post, "bare_driver", "tagged", graph["code"])["edges"]
            assert len(page) == 20 and [e["node"]["key"] for e in bare_page] == [e["node"]["key"] for e in page]


def test_neo4j_graphql_answers_what_carkg_answers_and_the_load_generator_counts_failures(
        neo4j_target: Target, graph: dict[str, Any], carkg: TestClient, tmp_path: Path, free_port: int) -> None:
    home = node_tools(Console(quiet=True))
    with node_peer(home, neo4j_target, free_port, 1, tmp_path / "peer.log") as peer:
        base = f"http://127.0.0.1:{free_port}"
        wait_graphql(f"{base}/", peer)
        people = _ask(lambda path, json: httpx.post(base + path, json=json, timeout=30), "neo4j_graphql",
                      "customer360", graph["oneId"])
        mine = _ask(carkg.post, "carkg", "customer360", graph["oneId"])
        theirs = {e["node"]["key"]: e for e in people[0]["recordsConnection"]["edges"]}
        assert set(theirs) == {e["node"]["key"] for e in mine["records"]}
        for edge in mine["records"]:
            r, other = edge["node"], theirs[edge["node"]["key"]]
            assert other["properties"]["method"] == edge["method"]
            assert sorted(p["masked"] for p in other["node"]["phones"]) == sorted(p["masked"] for p in r["phones"])
            assert sorted(w["maskedUnionId"] for w in other["node"]["wechatAccounts"]) == \
                sorted(w["maskedUnionId"] for w in r["wechatAccounts"])
            assert {t["tagCode"] for t in other["node"]["tags"]} >= {t["tagCode"] for t in r["tags"]}
        query = next(q for q in queries() if q.name == "customer360")
        good = load(home, url=f"{base}/", token="", query=query, peer="neo4j_graphql", values=[graph["oneId"]],
                    connections=2, seconds=1, warmup=0)
        unknown = load(home, url=f"{base}/", token="", query=query, peer="neo4j_graphql", values=["no-such-person"],
                       connections=2, seconds=1, warmup=0)
    assert good["requests"] > 0 and good["bad"] == 0 and good["non2xx"] == 0
    assert unknown["requests"] > 0 and unknown["bad"] == unknown["requests"]
