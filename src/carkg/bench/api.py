"""`carkg bench api`: the customer-360 query under N concurrent clients on loopback.

The graph is the demo set (loaded, resolved, tagged) on the benchmark server; the API runs as its
own uvicorn process (as in production) and the clients are aiohttp in this process. Prints
throughput and latency percentiles with the machine; errors are counted, never hidden.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import time
from dataclasses import dataclass

import aiohttp
import orjson
from rich.console import Console

from carkg.auth import Role
from carkg.auth.tokens import create_token
from carkg.bench.demo import prepare_demo_graph
from carkg.bench.server import api_process, start_bench_target, wait_ready
from carkg.graph import Database
from carkg.graph.database import Target
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


@dataclass
class Report:
    """Both views the target needs: with 50 closed-loop clients latency is 50 / throughput (Little's law), so
    "≥ N req/s and p99 ≤ L" is read as the saturation throughput plus the latency at the target rate."""

    saturation: Figures
    at_rate: Figures
    rate: float


class Shot:
    """One request: the payload for a random choice of `variable` (a customer by default), and whether the
    answer was good (no errors, `field` not empty)."""

    def __init__(self, url: str, query: str, choices: list[str], *, variable: str = "oneId",
                 field: str = "customer") -> None:
        self.url, self.query, self.choices, self.variable, self.field = url, query, choices, variable, field

    async def __call__(self, http: aiohttp.ClientSession, rng: random.Random) -> bool:
        payload = orjson.dumps({"query": self.query, "variables": {self.variable: rng.choice(self.choices)}})
        try:
            async with http.post(self.url, data=payload) as resp:
                status, raw = resp.status, await resp.read()
        except aiohttp.ClientError:  # a dropped connection is an error to count, not a crashed benchmark
            return False
        body = orjson.loads(raw) if status == 200 else {}
        return status == 200 and not body.get("errors") and bool((body.get("data") or {}).get(self.field))


def _session(token: str, clients: int) -> aiohttp.ClientSession:
    """aiohttp, because the load generator shares the machine's 2 cores with the server it measures and must
    cost as little as possible."""
    return aiohttp.ClientSession(
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        connector=aiohttp.TCPConnector(limit=clients), timeout=aiohttp.ClientTimeout(total=30),
    )


def _figures(latencies: list[float], errors: int, seconds: float) -> Figures:
    q = statistics.quantiles(latencies, n=100)
    return Figures(len(latencies), errors, seconds, q[49] * 1000, q[94] * 1000, q[98] * 1000)


async def saturate(shot: Shot, token: str, *, clients: int, seconds: float, warmup: float) -> Figures:
    """Closed loop: each client sends its next request when the last one answered — the most the server does."""
    latencies: list[float] = []
    errors = 0
    started = time.perf_counter()
    measure_from, stop_at = started + warmup, started + warmup + seconds

    async def client(rng: random.Random, http: aiohttp.ClientSession) -> None:
        nonlocal errors
        while (sent := time.perf_counter()) < stop_at:
            good = await shot(http, rng)
            if sent >= measure_from:
                latencies.append(time.perf_counter() - sent)
                errors += not good

    async with _session(token, clients) as http:
        await asyncio.gather(*(client(random.Random(i), http) for i in range(clients)))
    return _figures(latencies, errors, seconds)


async def at_rate(shot: Shot, token: str, *, clients: int, rate: float, seconds: float, warmup: float) -> Figures:
    """Open loop: request i is due at start + i / rate, the clients taking turns; its latency counts from when it
    was due, so a slow answer that holds up the requests behind it is measured, not hidden (no coordinated
    omission). The achieved rate is printed: below the offered rate the server could not keep up."""
    latencies: list[float] = []
    errors = 0
    total, first_measured = int((warmup + seconds) * rate), int(warmup * rate)
    start = time.perf_counter() + 0.05
    last_done = start

    async def client(c: int, http: aiohttp.ClientSession) -> None:
        nonlocal errors, last_done
        rng = random.Random(c)
        for i in range(c, total, clients):
            due = start + i / rate
            if (delay := due - time.perf_counter()) > 0:
                await asyncio.sleep(delay)
            good = await shot(http, rng)
            done = time.perf_counter()
            if i >= first_measured:
                latencies.append(done - due)
                errors += not good
                last_done = max(last_done, done)

    async with _session(token, clients) as http:
        await asyncio.gather(*(client(c, http) for c in range(clients)))
    return _figures(latencies, errors, last_done - (start + first_measured / rate))


def run_api_benchmark(*, customers: int, seed: int, clients: int, seconds: float, warmup: float, workers: int,
                      port: int, fresh: bool, rate: float, console: Console, peers: bool = False,
                      keep: bool = True, profile: bool = False) -> Report | None:
    target = start_bench_target(console)
    with Database(target) as db:
        if fresh:
            db.wipe()
        prepare_demo_graph(db, customers=customers, seed=seed, console=console)
        db.apply_schema()
        token = create_token(db, f"bench-{int(time.time())}", Role.ANALYST)
        sample = db.read("bench/client_sample", size=5000)[0]
    one_ids = sample["oneIds"]
    if peers:
        run_peer_benchmark(target, token=token, one_ids=one_ids, codes=sample["codes"], clients=clients,
                           seconds=seconds, warmup=warmup, workers=workers, port=port, customers=customers,
                           console=console, keep=keep, profile=profile)
        return None
    with api_process(target, port, workers, Settings().state_dir / "bench" / "api-server.log") as api:
        wait_ready(f"http://127.0.0.1:{port}/ready", api)
        shot = Shot(f"http://127.0.0.1:{port}/graphql", (GRAPHQL_DIR / "customer_360.graphql").read_text("utf-8"),
                    one_ids)
        console.print(f"customer-360, {workers} API worker(s), {len(one_ids)} distinct customers, {clients} clients; "
                      f"each phase {seconds:g}s measured after {warmup:g}s warm-up")
        saturation = asyncio.run(saturate(shot, token, clients=clients, seconds=seconds, warmup=warmup))
        _print(console, f"saturation ({clients} closed-loop clients)", saturation)
        paced = asyncio.run(at_rate(shot, token, clients=clients, rate=rate, seconds=seconds, warmup=warmup))
        _print(console, f"at {rate:g} req/s offered ({clients} clients, open loop)", paced)
    console.print(f"Load average (1/5/15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return Report(saturation, paced, rate)


def run_peer_benchmark(target: Target, *, token: str, one_ids: list[str], codes: list[str], clients: int,
                       seconds: float, warmup: float, workers: int, port: int, customers: int, console: Console,
                       keep: bool, profile: bool = False) -> None:
    from carkg.bench.peers.run import print_results, run_peers
    from carkg.bench.record import record

    console.print(f"customer-360 and a tagged list on carkg, a bare Starlette + driver endpoint and @neo4j/graphql; "
                  f"{workers} worker(s) each, {len(one_ids)} distinct customers, {len(codes)} tag codes")
    results = run_peers(target, token=token, one_ids=one_ids, codes=codes, clients=clients, seconds=seconds,
                        warmup=warmup, workers=workers, port=port, console=console, profile=profile)
    print_results(console, results)
    console.print(f"Load average (1/5/15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    by = {(r.peer, r.query): r for r in results}
    mine, bare, peer = (by[(p, "customer360")] for p in ("carkg", "bare_driver", "neo4j_graphql"))
    if keep:
        figures: dict[str, tuple[float, str]] = {
            "api.customer360.rps": (round(mine.rps, 1), "req/s"),
            "api.customer360.p99_ms": (round(mine.p99_ms, 1), "ms"),
            "api.customer360.failed": (mine.failed, "requests"),
            "api.bare_driver.rps": (round(bare.rps, 1), "req/s"),
            "api.bare_driver.p99_ms": (round(bare.p99_ms, 1), "ms"),
            "api.neo4j_graphql.rps": (round(peer.rps, 1), "req/s"),
            "api.neo4j_graphql.p99_ms": (round(peer.p99_ms, 1), "ms"),
            "api.customer360.ratio_to_bare_driver": (round(mine.rps / bare.rps, 3), "ratio of req/s"),
            "api.customer360.ratio_to_neo4j_graphql": (round(mine.rps / peer.rps, 3), "ratio of req/s"),
        }
        for p in ("carkg", "bare_driver", "neo4j_graphql"):
            figures[f"api.tagged.{p}.rps"] = (round(by[(p, "tagged")].rps, 1), "req/s")
        record(figures, f"carkg bench api --peers --customers {customers} --clients {clients} --seconds {seconds:g}")


def _print(console: Console, phase: str, f: Figures) -> None:
    console.print(
        f"[bold]bench api[/] {phase}: {f.rps:.0f} req/s, p50 {f.p50_ms:.1f} ms, p95 {f.p95_ms:.1f} ms, "
        f"p99 {f.p99_ms:.1f} ms, {f.errors} errors of {f.requests}"
    )


__all__ = ["Figures", "Report", "Shot", "run_api_benchmark", "saturate"]
