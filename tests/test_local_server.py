"""The real database the suite runs on has GDS and APOC; the local server fails clearly."""

from __future__ import annotations

import socket
import stat
import urllib.request
from pathlib import Path

import pytest

from carkg.graph import Database
from carkg.localneo4j import LocalServer, ServerError
from carkg.settings import LocalServerSettings


def test_gds_and_apoc_procedures_answer(db: Database) -> None:
    assert db.query("RETURN gds.version() AS v")[0]["v"].startswith("2.")
    assert db.query("RETURN apoc.version() AS v")[0]["v"].startswith("5.26")
    db.query("UNWIND range(0, 9) AS i CREATE (:CustomerRecord {key: 'k' + i})-[:HAS_PHONE]->(:Phone {e164: 'p' + i})")
    db.query("MATCH (a:CustomerRecord {key: 'k1'}), (p:Phone {e164: 'p2'}) CREATE (a)-[:HAS_PHONE]->(p)")
    gds = db.gds()
    try:
        rels = {"HAS_PHONE": {"orientation": "UNDIRECTED"}}
        with gds.graph.project.native("test_wcc", ["CustomerRecord", "Phone"], rels) as graph:
            components = gds.wcc.stream(graph)
            assert components["componentId"].nunique() == 9
        assert not gds.graph.exists("test_wcc")  # the projection is dropped afterwards
    finally:
        gds.close()


def test_browser_is_served(local_server: LocalServer | None) -> None:
    if local_server is None:
        pytest.skip("Browser check needs the local server (NEO4J_URI or Docker is in use)")
    server = local_server
    with urllib.request.urlopen(server.browser_url, timeout=10) as resp:
        assert resp.status == 200
        assert "Neo4j Browser" in resp.read().decode()
    mode = stat.S_IMODE(server.password_file.stat().st_mode)
    assert mode == 0o600


def test_a_taken_port_is_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        server = LocalServer(LocalServerSettings(home=tmp_path / "n", dist=tmp_path / "d", bolt_port=port, http_port=0))
        with pytest.raises(ServerError, match=f"port {port} .* taken"):
            server.start()
