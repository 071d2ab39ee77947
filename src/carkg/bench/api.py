"""`carkg bench api`: the customer-360 query under N concurrent clients on loopback.

The graph is the demo set (loaded, resolved, tagged) on the benchmark server; the API runs as its
own uvicorn process (as in production) and the clients are aiohttp in this process. Prints
throughput and latency percentiles with the machine; errors are counted, never hidden.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from dataclasses import dataclass

import aiohttp
import orjson
from rich.console import Console

from carkg.auth import Role
from carkg.auth.tokens import create_token
from carkg.bench.demo import load_demo
from carkg.bench.server import api_process, start_bench_target, wait_ready
from carkg.graph import Database
from carkg.paths import GRAPHQL_DIR
from carkg.settings import Settings


@dataclass
class Figures:
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds


def prepare_demo_graph(db: Database, *, customers: int, seed: int, console: Console) -> None:
    """Load and resolve the demo set unless the benchmark server already holds it."""
    persons = db.query("MATCH (p:Person) RETURN count(p) AS n")[0]["n"]
    if persons:
        console.print(f"Reusing the benchmark graph ({persons} resolved customers); --fresh rebuilds it")
        return
    load_demo(db, customers, seed)
    from carkg.identity import resolve

    resolve(db)


async def drive(url: str, token: str, query: str, one_ids: list[str], *, clients: int, seconds: float,
                warmup: float) -> Figures:
    """Closed loop: each client sends its next request when the last one answered. aiohttp, because the load
    generator shares the machine's 2 cores with the server it measures and must cost as little as possible."""
    latencies: list[float] = []
    errors = 0
    started = time.perf_counter()
    measure_from, stop_at = started + warmup, started + warmup + seconds
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    async def client(rng: random.Random, http: aiohttp.ClientSession) -> None:
        nonlocal errors
        while (now := time.perf_counter()) < stop_at:
            payload = orjson.dumps({"query": query, "variables": {"oneId": rng.choice(one_ids)}})
            try:
                async with http.post(url, data=payload) as resp:
                    status, raw = resp.status, await resp.read()
            except aiohttp.ClientError:  # a dropped connection is an error to count, not a crashed benchmark
                errors += now >= measure_from
                continue
            done = time.perf_counter()
            if now >= measure_from:
                latencies.append(done - now)
                body = orjson.loads(raw) if status == 200 else {}
                if status != 200 or body.get("errors") or not (body.get("data") or {}).get("customer"):
                    errors += 1

    connector = aiohttp.TCPConnector(limit=clients)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(headers=headers, connector=connector, timeout=timeout) as http:
        await asyncio.gather(*(client(random.Random(i), http) for i in range(clients)))
    q = statistics.quantiles(latencies, n=100)
    return Figures(len(latencies), errors, seconds, q[49] * 1000, q[94] * 1000, q[98] * 1000)


def run_api_benchmark(*, customers: int, seed: int, clients: int, seconds: float, warmup: float, workers: int,
                      port: int, fresh: bool, console: Console) -> Figures:
    target = start_bench_target(console)
    with Database(target) as db:
        if fresh:
            db.wipe()
        prepare_demo_graph(db, customers=customers, seed=seed, console=console)
        db.apply_schema()
        token = create_token(db, f"bench-{int(time.time())}", Role.ANALYST)
        one_ids = [r["id"] for r in db.query("MATCH (p:Person) RETURN p.oneId AS id ORDER BY rand() LIMIT 5000")]
    with api_process(target, port, workers, Settings().state_dir / "bench" / "api-server.log") as api:
        wait_ready(f"http://127.0.0.1:{port}/ready", api)
        query = (GRAPHQL_DIR / "customer_360.graphql").read_text(encoding="utf-8")
        console.print(f"Driving customer-360 with {clients} clients for {seconds:g}s (+{warmup:g}s warm-up), "
                      f"{workers} API worker(s), {len(one_ids)} distinct customers")
        figures = asyncio.run(drive(f"http://127.0.0.1:{port}/graphql", token, query, one_ids,
                                    clients=clients, seconds=seconds, warmup=warmup))
    console.print(
        f"[bold]bench api[/] customer-360, {clients} clients, {workers} workers: {figures.rps:.0f} req/s, "
        f"p50 {figures.p50_ms:.1f} ms, p95 {figures.p95_ms:.1f} ms, p99 {figures.p99_ms:.1f} ms, "
        f"{figures.errors} errors of {figures.requests}"
    )
    return figures


__all__ = ["Figures", "run_api_benchmark"]
