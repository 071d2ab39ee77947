"""`carkg bench identity`: One ID resolution end to end on the N-customer demo, on the bench server.

The graph is generated and loaded once (≈4 min for 100k) and reused while it still holds the same
records; every measured run starts cold (all One ID results removed first). Figures: records/s end to
end, each step's own seconds, and the GDS step (projection + WCC + drop) separately.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, LiteralString, cast

from rich.console import Console

from carkg.bench.demo import demo_set, load_demo
from carkg.bench.machine import describe
from carkg.bench.record import record
from carkg.bench.server import bench_server, bench_target
from carkg.graph import Database, statements
from carkg.localneo4j import LocalServer
from carkg.settings import Settings


def _load(db: Database, customers: int, seed: int, console: Console) -> int:
    demo_set(customers, seed)
    started = time.perf_counter()
    load_demo(db, customers, seed)
    console.print(f"Loaded the {customers}-customer demo in {time.perf_counter() - started:.0f}s")
    return int(db.read("identity/count_records")[0]["records"])


@contextmanager
def _stopping(server: LocalServer) -> Iterator[None]:
    try:
        yield
    finally:
        server.stop()


def reset(db: Database) -> None:
    with db.driver.session(database=db.target.database) as session:
        for statement in statements("identity/reset"):
            session.run(cast(LiteralString, statement)).consume()


def run_identity_benchmark(
    *, customers: int, seed: int, fresh: bool, console: Console, load_only: bool = False
) -> dict[str, Any]:
    from carkg.cli.identity import print_report
    from carkg.identity import resolve

    marker = Settings().state_dir / "bench" / "identity-graph.json"
    server = bench_server()
    console.print(f"Machine: {describe()}")
    with console.status("Starting the benchmark's own Neo4j…"):
        server.start()
    with Database(bench_target(server)) as db, _stopping(server):
        records = int(db.read("identity/count_records")[0]["records"])
        loaded = json.loads(marker.read_text()) if marker.exists() else {}
        if fresh or loaded != {"customers": customers, "seed": seed, "records": records} or not records:
            records = _load(db, customers, seed, console)
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.write_text(json.dumps({"customers": customers, "seed": seed, "records": records}))
        else:
            console.print(f"Reusing the benchmark graph ({records} records); --fresh rebuilds it")
        db.apply_schema()
        if load_only:
            return {"customers": customers, "records": records}
        reset(db)
        started = time.perf_counter()
        cold = resolve(db)
        cold_seconds = time.perf_counter() - started
        print_report(cold)
        started = time.perf_counter()
        warm = resolve(db)
        warm_seconds = time.perf_counter() - started
        started = time.perf_counter()
        incremental = resolve(db, incremental=True)
        incremental_seconds = time.perf_counter() - started
    figures = {
        "customers": customers, "records": records, "cold_seconds": round(cold_seconds, 1),
        "records_per_s": round(records / cold_seconds), "gds_seconds": cold.seconds.get("gds"),
        "persons": cold.persons, "rerun_seconds": round(warm_seconds, 1),
        "rerun_links_written": warm.links_changed, "incremental_noop_seconds": round(incremental_seconds, 1),
        "incremental_records": incremental.records,
    }
    if customers == 100_000:
        record({"identity.resolve_100k_s": (figures["cold_seconds"], "s")}, "carkg bench identity --customers 100000")
    console.print(
        f"[bold]bench identity[/] customers={customers} records={records}: cold resolve {cold_seconds:.1f}s "
        f"→ {figures['records_per_s']} records/s (GDS step {cold.seconds.get('gds', 0):.1f}s); "
        f"re-run {warm_seconds:.1f}s ({warm.links_changed} links rewritten); "
        f"incremental with nothing new {incremental_seconds:.1f}s"
    )
    return figures
