"""One database for the whole suite: NEO4J_URI if set, else testcontainers when a Docker engine
answers, else the project's own local server (a dedicated test instance, never the demo one)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from carkg.graph import Database
from carkg.graph.database import Target
from carkg.localneo4j import LocalServer
from carkg.paths import PROJECT_ROOT
from carkg.settings import LocalServerSettings

TEST_KEY = bytes.fromhex("00" * 31 + "01")
GDS_IMAGE = "neo4j:5.26.19-community"


def _docker_answers() -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def test_server() -> LocalServer:
    return LocalServer(
        LocalServerSettings(
            home=PROJECT_ROOT / ".carkg" / "test-neo4j",
            bolt_port=int(os.environ.get("CARKG_TEST_BOLT_PORT", "17687")),
            http_port=int(os.environ.get("CARKG_TEST_HTTP_PORT", "17474")),
            heap=os.environ.get("CARKG_TEST_HEAP", "2g"),
            pagecache=os.environ.get("CARKG_TEST_PAGECACHE", "1g"),
        )
    )


@pytest.fixture(scope="session")
def neo4j_target() -> Iterator[Target]:
    if uri := os.environ.get("NEO4J_URI"):
        yield Target(
            uri, os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""),
            os.environ.get("NEO4J_DATABASE", "neo4j"), local=False,
        )
        return
    if _docker_answers():
        from testcontainers.neo4j import Neo4jContainer

        container = Neo4jContainer(GDS_IMAGE).with_env("NEO4J_PLUGINS", '["graph-data-science","apoc"]')
        with container:
            yield Target(container.get_connection_url(), "neo4j", container.password, "neo4j", local=False)
        return
    server = test_server()
    already_running = server.status().running
    server.start()
    try:
        yield Target(server.bolt_uri, "neo4j", server.password, "neo4j", local=True)
    finally:
        if not already_running and not os.environ.get("CARKG_TEST_KEEP_SERVER"):
            server.stop()


@pytest.fixture(scope="session")
def local_server(neo4j_target: Target) -> LocalServer | None:
    return test_server() if neo4j_target.local else None


@pytest.fixture(scope="session")
def database(neo4j_target: Target) -> Iterator[Database]:
    with Database(neo4j_target) as db:
        yield db


@pytest.fixture
def db(database: Database) -> Database:
    """An empty graph with the schema applied: each test starts from nothing."""
    database.wipe()
    database.apply_schema()
    return database


@pytest.fixture
def key() -> bytes:
    return TEST_KEY


@pytest.fixture
def samples() -> Path:
    return PROJECT_ROOT / "loaders" / "samples"


@pytest.fixture(scope="module")
def free_port() -> int:
    """A loopback port nothing listens on, for a server the module starts."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
