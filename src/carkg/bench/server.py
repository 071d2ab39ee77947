"""The benchmarks' own Neo4j: its own home and ports, so a benchmark never touches the demo graph."""

from __future__ import annotations

import os

from carkg.graph.database import Target
from carkg.localneo4j import LocalServer
from carkg.settings import LocalServerSettings, Settings


def bench_server() -> LocalServer:
    """Ports default to 27687/27474; CARKG_BENCH_BOLT_PORT / CARKG_BENCH_HTTP_PORT move them."""
    return LocalServer(
        LocalServerSettings(
            home=Settings().state_dir / "bench-neo4j",
            bolt_port=int(os.environ.get("CARKG_BENCH_BOLT_PORT", "27687")),
            http_port=int(os.environ.get("CARKG_BENCH_HTTP_PORT", "27474")),
        )
    )


def bench_target(server: LocalServer) -> Target:
    return Target(server.bolt_uri, "neo4j", server.password, "neo4j", local=True)
