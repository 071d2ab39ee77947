"""With the database out of reach (a real driver against a port nothing listens on), every route that needs
it answers 503 with Retry-After in the API's error shape — never a bare 500 — and /health still answers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from carkg.api.app import create_app
from carkg.graph.database import Target
from carkg.leads.live import LiveScorer
from carkg.settings import ApiSettings

NOWHERE = Target("bolt://127.0.0.1:9", "neo4j", "unused", "neo4j", local=False)  # discard port: refused
TOKEN = {"Authorization": "Bearer ckg_" + "x" * 43}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(NOWHERE, ApiSettings(token_cache_seconds=0), scorer=LiveScorer(tmp_path, check_every=0))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def test_an_unreachable_database_is_503_with_retry_after_on_every_route(client: TestClient) -> None:
    assert client.get("/health").status_code == 200
    ready = client.get("/ready")
    assert ready.status_code == 503 and ready.json()["status"] == "unavailable" and ready.headers["retry-after"]
    for resp in (client.post("/graphql", json={"query": "{ me { role } }"}, headers=TOKEN),
                 client.post("/events", json=[], headers=TOKEN)):
        assert resp.status_code == 503, resp.text
        assert int(resp.headers["retry-after"]) > 0
        assert [e["extensions"]["code"] for e in resp.json()["errors"]] == ["UNAVAILABLE"]
        assert "Traceback" not in resp.text and "127.0.0.1:9" not in resp.text
