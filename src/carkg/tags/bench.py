"""`carkg tags bench`: how fast tags go on (new, again, on relationships), expire, and report health.

Runs on the benchmark server (its own ports and home) on a synthetic graph of N customer records served
by advisors: tag throughput does not depend on the rest of the demo graph, and the synthetic graph is
built in seconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import LiteralString, cast

from carkg.bench.machine import describe
from carkg.bench.server import bench_server, bench_target
from carkg.graph import Database, cypher
from carkg.tags.assign import assign
from carkg.tags.assignment import Assignment
from carkg.tags.expire import expire
from carkg.tags.health import health
from carkg.tags.library import load_library
from carkg.tags.targets import NodeTarget, RelationshipTarget

BANDS = ["<10万", "10-15万", "15-20万", "20-30万", "30-50万", ">50万"]


def _timed(step: Callable[[], object]) -> float:
    start = time.perf_counter()
    step()
    return time.perf_counter() - start


def _node_batch(n: int, round_: int, expired_every: int = 0) -> list[Assignment]:
    past = datetime.now(UTC) - timedelta(days=1)
    return [
        Assignment(code="budget_band", target=NodeTarget(label="CustomerRecord", key=f"bench:C{i}"),
                   value=BANDS[(i + round_) % len(BANDS)], source="rule", actor="bench",
                   confidence=0.5 + (i % 50) / 100,
                   expires_at=past if expired_every and i % expired_every == 0 else None)
        for i in range(n)
    ]


def _rel_batch(n: int, advisors: int) -> list[Assignment]:
    return [
        Assignment(code="trusts_advisor",
                   target=RelationshipTarget(rel_type="SERVED_BY", start_key=f"bench:C{i}",
                                             end_key=f"BA{i % advisors}"),
                   source="keyword", actor="bench", confidence=0.7, evidence=["bench"])
        for i in range(n)
    ]


def run(records: int, advisors: int = 1000) -> list[tuple[str, int, float]]:
    """(step, rows, seconds) per step, on a freshly wiped benchmark server."""
    server = bench_server()
    server.start()
    with Database(bench_target(server)) as db:
        db.wipe()
        db.apply_schema()
        with db.driver.session(database=db.target.database) as session:  # IN TRANSACTIONS: auto-commit only
            session.run(cast(LiteralString, cypher("tags/bench_graph")), records=records, advisors=advisors).consume()
        load_library(db)
        nodes, rels = _node_batch(records, 0, expired_every=10), _rel_batch(records, advisors)
        again = _node_batch(records, 1)
        return [
            ("assign budget_band on records (new; 1 in 10 already past expiry)", records,
             _timed(lambda: assign(db, nodes))),
            ("assign trusts_advisor on SERVED_BY (new)", records, _timed(lambda: assign(db, rels))),
            ("expire (marks the 1 in 10)", records // 10, _timed(lambda: expire(db))),
            ("assign budget_band again (updates / re-assigns)", records, _timed(lambda: assign(db, again))),
            ("health, all tags (library + 2 used)", records, _timed(lambda: health(db))),
        ]


def report(records: int) -> str:
    rows = run(records)
    lines = [f"machine: {describe()}", f"date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC", "",
             "| step | rows | seconds | rows/s |", "|---|---:|---:|---:|"]
    lines += [f"| {name} | {n:,} | {s:.1f} | {n / s:,.0f} |" for name, n, s in rows]
    return "\n".join(lines)
