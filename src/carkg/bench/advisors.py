"""`carkg bench advisors`: advisor recommendation on the N-customer demo — hit@1/hit@3 and conversion of
the recommended advisor beside a random advisor of the nearest dealer of the brand (the same replay, the
same candidates), then `recommendAdvisors` latency under 20 concurrent GraphQL clients.

The demo set is loaded through the real loaders into the benchmark's own Neo4j, tagged over its history
(hobbies in chats become interest tags) and resolved by One ID. The replay (carkg.advisors.evaluate)
reads the track record as of the first replayed lead; the track record is then derived again as of the
demo's last day, which is what the API serves. The API runs as its own uvicorn process; the clients are
closed-loop aiohttp clients in this process, each asking for a random one of the replayed leads.
"""

from __future__ import annotations

import asyncio
import os
import time

from rich.console import Console

from carkg.advisors.evaluate import evaluate, table
from carkg.auth import Role
from carkg.auth.tokens import create_token
from carkg.bench.api import Shot, saturate
from carkg.bench.demo import AS_OF, demo_set, prepare_demo_graph
from carkg.bench.record import record
from carkg.bench.server import api_process, start_bench_target, wait_ready
from carkg.graph import Database
from carkg.paths import GRAPHQL_DIR
from carkg.settings import Settings


def run_advisors_benchmark(*, customers: int, seed: int, clients: int, seconds: float, warmup: float,
                           workers: int, port: int, fresh: bool, console: Console, keep: bool = True) -> None:
    """`keep`: write the figures to docs/benchmarks.json (off for a quick run on a small demo)."""
    target = start_bench_target(console)
    command = f"carkg bench advisors --customers {customers}"
    with Database(target) as db:
        if fresh:
            db.wipe()
        prepare_demo_graph(db, customers=customers, seed=seed, console=console)
        db.apply_schema()
        truth = demo_set(customers, seed, progress=False).root / "truth" / "advisor_fit.csv"
        started = time.perf_counter()
        result = evaluate(db, truth, restore_at=AS_OF)
        replay_s = time.perf_counter() - started
        token = create_token(db, f"bench-advisors-{int(time.time())}", Role.ANALYST)
    console.print(table(result))
    console.print(f"Replayed {result.leads} leads in {replay_s:.0f}s (track record derived twice, every candidate "
                  "ranked)")
    query = (GRAPHQL_DIR / "recommend_advisors.graphql").read_text(encoding="utf-8")
    with api_process(target, port, workers, Settings().state_dir / "bench" / "advisors-api.log") as api:
        wait_ready(f"http://127.0.0.1:{port}/ready", api)
        shot = Shot(f"http://127.0.0.1:{port}/graphql", query, result.lead_ids, variable="lead",
                     field="recommendAdvisors")
        console.print(f"recommendAdvisors, {workers} API worker(s), {len(result.lead_ids)} distinct leads, {clients} "
                      f"closed-loop clients; {seconds:g}s measured after {warmup:g}s warm-up")
        f = asyncio.run(saturate(shot, token, clients=clients, seconds=seconds, warmup=warmup))
    console.print(f"[bold]bench advisors[/] recommendAdvisors: {f.rps:.0f} req/s, p50 {f.p50_ms:.1f} ms, "
                  f"p95 {f.p95_ms:.1f} ms, p99 {f.p99_ms:.1f} ms, {f.errors} errors of {f.requests}")
    console.print(f"Load average (1/5/15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if not keep:
        return
    m, b = result.model, result.baseline
    record({
        "advisors.hit_at_3": (round(result.hit_at(m, 3), 4), f"share of {result.leads} replayed leads"),
        "advisors.hit_at_3_baseline": (round(result.hit_at(b, 3), 4),
                                       "share, random advisor of the nearest dealer of the brand"),
        "advisors.hit_at_1": (round(result.hit_at(m, 1), 4), f"share of {result.leads} replayed leads"),
        "advisors.conversion_uplift": (round(result.uplift, 4), "relative to the baseline's conversion"),
        "advisors.recommend_p50_ms": (round(f.p50_ms, 1), f"ms at {clients} clients"),
        "advisors.recommend_p95_ms": (round(f.p95_ms, 1), f"ms at {clients} clients"),
    }, command)
    console.print("Figures written to docs/benchmarks.json")


__all__ = ["run_advisors_benchmark"]
