"""The floor `carkg bench alerts --peer` measures the API against: the same events written with the bare
driver (store, tag, read the advisors to alert) really store each event once and tag its customer."""

from __future__ import annotations

import asyncio

from rich.console import Console

from carkg.bench.alerts import bare_driver, plan
from carkg.bench.demo import prepare_demo_graph
from carkg.graph import Database
from carkg.graph.database import Target
from carkg.tags import load_library
from carkg.tags.rules import ensure_definitions, load_rules


def test_the_bare_driver_floor_stores_each_event_once_and_tags_its_customer(
        database: Database, neo4j_target: Target) -> None:
    database.wipe()
    database.apply_schema()
    prepare_demo_graph(database, customers=150, seed=23, console=Console(quiet=True))
    load_library(database)
    ensure_definitions(database, load_rules())
    p = plan(database, 5)
    assert p.customers and p.materials
    figures = asyncio.run(bare_driver(neo4j_target, p, rate=50, seconds=2, warmup=0.4, seed=1))
    assert figures.sent == 100 and figures.errors == 0 and 0 < figures.p50_ms <= figures.p99_ms
    stored = database.read("admin/events_by_prefix", prefix="BENCH-bare-")[0]
    assert stored["stored"] == 20 + 120 and stored["miswired"] == 0
    tagged = database.query("MATCH (ta:TagAssignment {actor: 'bench'})-[:TAGS]->(r:CustomerRecord) "
                            "RETURN count(DISTINCT r) AS n")[0]["n"]
    assert tagged > 0
