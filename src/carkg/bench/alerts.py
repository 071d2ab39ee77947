"""`carkg bench alerts`: event-to-alert latency — from posting an event over HTTP to the advisor's
websocket receiving the alert.

A small demo set is loaded on the benchmark server; the API runs as one uvicorn process (one worker: the
alert broker is in-process, see `carkg.tags.alerts`); this process opens a graphql-transport-ws
subscription per advisor and posts events for those advisors' customers at a fixed rate, one event per
request, without waiting for earlier requests (an open-loop load, so a slow server cannot slow the
sender down and hide its own latency). Latency is scheduled send → receive on this process's monotonic
clock; 20 events are posted one by one first (unmeasured) so the server's query plans are compiled.
"""

from __future__ import annotations

import asyncio
import json
import random
import statistics
import time
from collections.abc import Awaitable, Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import LiteralString, cast

import aiohttp
import orjson
from rich.console import Console
from websockets.asyncio.client import connect

from carkg.auth import Role
from carkg.auth.tokens import create_token
from carkg.bench.demo import load_demo
from carkg.bench.profile import print_profile, sampled
from carkg.bench.server import api_process, start_bench_target, wait_ready
from carkg.graph import Database
from carkg.graph.cypher import cypher
from carkg.graph.database import Target
from carkg.settings import Settings
from carkg.tags import load_library

SUBSCRIBE = "subscription ($a: ID) { advisorAlerts(advisorId: $a) { eventId advisorId tags } }"
MATERIAL_TYPES = ("open_material", "open_material", "click_material", "forward_material")


@dataclass
class Figures:
    sent: int
    accepted: int
    alerts: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    http_p99_ms: float
    errors: int

    @property
    def rate(self) -> float:
        return self.sent / self.seconds


@dataclass
class Plan:
    """Who is subscribed and which of their customers the events are for."""

    customers: dict[str, list[str]]  # advisor id -> WeCom external user ids
    materials: list[str]
    groups: list[str]
    sent_at: dict[str, float] = field(default_factory=dict)
    received_at: dict[str, float] = field(default_factory=dict)


def prepare(db: Database, *, customers: int, seed: int, fresh: bool, console: Console) -> None:
    """Load a small demo set unless the benchmark server already holds WeCom contacts with advisors."""
    served = db.query("MATCH (:CustomerRecord {system: 'wecom'})-[:SERVED_BY]->() RETURN count(*) AS n")[0]["n"]
    if served and not fresh:
        console.print(f"Reusing the benchmark graph ({served} WeCom contacts with an advisor); --fresh reloads it")
        return
    load_demo(db, customers, seed, progress=False)


def plan(db: Database, advisors: int) -> Plan:
    rows = db.query("""
        MATCH (r:CustomerRecord {system: 'wecom'})-[:SERVED_BY]->(a:Advisor)
        WITH a, collect(r.sourceId) AS ids ORDER BY size(ids) DESC LIMIT $n
        RETURN a.advisorId AS advisor, ids""", {"n": advisors})
    materials = [r["id"] for r in db.query("MATCH (m:Material) RETURN m.materialId AS id")]
    groups = [r["id"] for r in db.query("MATCH (g:EventGroup) RETURN g.groupId AS id")]
    return Plan({r["advisor"]: r["ids"] for r in rows}, materials, groups)


async def _subscriber(url: str, token: str, advisor: str, p: Plan, ready: asyncio.Event, counter: list[int]) -> None:
    async with connect(url, subprotocols=["graphql-transport-ws"], max_queue=None) as ws:  # type: ignore[list-item]
        await ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}))
        ack = json.loads(await ws.recv())
        if ack.get("type") != "connection_ack":
            raise RuntimeError(f"subscription for {advisor} refused: {ack}")
        await ws.send(json.dumps({"id": advisor, "type": "subscribe",
                                  "payload": {"query": SUBSCRIBE, "variables": {"a": advisor}}}))
        counter[0] += 1
        if counter[0] == len(p.customers):
            ready.set()
        async for raw in ws:
            now = time.perf_counter()
            msg = json.loads(raw)
            if msg.get("type") == "next":
                event_id = msg["payload"]["data"]["advisorAlerts"]["eventId"]
                p.received_at.setdefault(event_id, now)
            elif msg.get("type") == "ping":
                await ws.send(json.dumps({"type": "pong"}))
            elif msg.get("type") == "error":
                raise RuntimeError(f"subscription error for {advisor}: {msg}")


def _event(rng: random.Random, p: Plan, run: str, i: int) -> dict[str, object]:
    advisor = rng.choice(list(p.customers))
    user = rng.choice(p.customers[advisor])
    kind = rng.choice((*MATERIAL_TYPES, "join_group"))
    target = rng.choice(p.groups) if kind == "join_group" else rng.choice(p.materials)
    return {"eventId": f"BENCH-{run}-{i:07d}", "type": kind, "externalUserId": user, "targetId": target,
            "channel": "private_chat", "at": datetime.now(UTC).isoformat()}


async def open_loop(send: Callable[[int, float, bool], Awaitable[None]], *, rate: float, seconds: float,
                    warmup: float) -> float:
    """`send(i, scheduled, measure)` for event i at start + i / rate, whether or not earlier ones were answered
    (a slow server cannot slow the sender down and hide its latency); the first `warmup` seconds unmeasured.
    Returns how long the measured events took to send (the achieved rate's denominator)."""
    tasks = []
    start = time.perf_counter()
    for i in range(int((warmup + seconds) * rate)):
        scheduled = start + i / rate
        if (delay := scheduled - time.perf_counter()) > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(send(i, scheduled, i >= warmup * rate)))
    sent_seconds = time.perf_counter() - start - warmup
    await asyncio.gather(*tasks)
    return sent_seconds


async def drive(base: str, app_token: str, admin_token: str, p: Plan, *, rate: float, seconds: float,
                warmup: float, seed: int, in_flight: int = 64) -> Figures:
    """Latency counts from each event's *scheduled* send time, so time an event spends waiting for a free
    connection (the server falling behind) is in the figure, not hidden (no coordinated omission)."""
    ready = asyncio.Event()
    counter = [0]
    ws_url = base.replace("http://", "ws://") + "/graphql"
    subs = [asyncio.create_task(_subscriber(ws_url, admin_token, a, p, ready, counter)) for a in p.customers]
    await asyncio.wait_for(ready.wait(), 30)
    await asyncio.sleep(0.5)  # the server registers each subscription after its `subscribe` message
    rng, run = random.Random(seed), f"{int(time.time())}"
    http_ms: list[float] = []
    errors, accepted = 0, 0
    measured: set[str] = set()
    gate = asyncio.Semaphore(in_flight)  # at most this many requests open; the rest wait, and that wait counts
    # aiohttp: the load generator shares the 2 cores with the server it measures (httpx cost more CPU per request)
    headers = {"Authorization": f"Bearer {app_token}", "Content-Type": "application/json"}
    connector = aiohttp.TCPConnector(limit=in_flight)

    async with aiohttp.ClientSession(base, headers=headers, connector=connector,
                                     timeout=aiohttp.ClientTimeout(total=60)) as http:

        async def post(event: dict[str, object], scheduled: float, measure: bool) -> None:
            nonlocal errors, accepted
            p.sent_at[str(event["eventId"])] = scheduled
            async with gate:
                try:
                    async with http.post("/events", data=orjson.dumps([event])) as resp:
                        status, body = resp.status, orjson.loads(await resp.read())
                    ok = status == 200 and not body["rejected"] and body["stored"] == 1
                except aiohttp.ClientError:
                    ok = False
            if measure:
                http_ms.append((time.perf_counter() - scheduled) * 1000)
                accepted += ok
                errors += not ok

        async def send(i: int, scheduled: float, measure: bool) -> None:
            event = _event(rng, p, run, i)
            if measure:
                measured.add(str(event["eventId"]))
            await post(event, scheduled, measure)

        for i in range(20):  # prime the server's query plans one event at a time, unmeasured
            await post(_event(rng, p, run + "p", i), time.perf_counter(), False)
        sent_seconds = await open_loop(send, rate=rate, seconds=seconds, warmup=warmup)
    deadline = time.perf_counter() + 5
    while time.perf_counter() < deadline and not measured <= p.received_at.keys():
        await asyncio.sleep(0.05)
    for t in subs:
        t.cancel()
    await asyncio.gather(*subs, return_exceptions=True)
    lat = sorted((p.received_at[e] - p.sent_at[e]) * 1000 for e in measured if e in p.received_at)
    q = statistics.quantiles(lat, n=100) if len(lat) > 1 else [float("nan")] * 99
    hq = statistics.quantiles(http_ms, n=100) if len(http_ms) > 1 else [float("nan")] * 99
    return Figures(len(measured), accepted, len(lat), sent_seconds, q[49], q[94], q[98], lat[-1] if lat else 0.0,
                   hq[98], errors)


async def bare_driver(target: Target, p: Plan, *, rate: float, seconds: float, warmup: float, seed: int,
                      code: str = "intent_customer") -> Figures:
    """The floor: the same events at the same rate, each one write with the async driver from this process
    (store, tag, read the advisors to alert) — no HTTP, no validation, no rules, no broker, no websocket.
    Latency counts from each event's scheduled time to the write's answer."""
    from neo4j import AsyncGraphDatabase

    query = cast(LiteralString, cypher("bench/bare_event_alert"))
    rng, run = random.Random(seed), f"bare-{int(time.time())}"
    latencies: list[float] = []
    errors = 0
    driver = AsyncGraphDatabase.driver(target.uri, auth=(target.user, target.password), max_connection_pool_size=64)
    gate = asyncio.Semaphore(64)

    async def write(event: dict[str, object], scheduled: float, measure: bool) -> None:
        nonlocal errors
        async with gate:
            try:
                records, _, _ = await driver.execute_query(
                    query, eventId=event["eventId"], type=event["type"], at=datetime.now(UTC),
                    key=f"wecom:{event['externalUserId']}", materialId=event["targetId"], code=code,
                    database_=target.database)
                ok = bool(records and records[0]["advisors"])
            except Exception:  # counted, as the API's failures are
                ok = False
        if measure:
            latencies.append((time.perf_counter() - scheduled) * 1000)
            errors += not ok

    async def send(i: int, scheduled: float, measure: bool) -> None:
        await write(_material_event(rng, p, run, i), scheduled, measure)

    try:
        for i in range(20):
            await write(_material_event(rng, p, run + "p", i), time.perf_counter(), False)
        sent_seconds = await open_loop(send, rate=rate, seconds=seconds, warmup=warmup)
    finally:
        await driver.close()
    q = statistics.quantiles(latencies, n=100)
    return Figures(len(latencies), len(latencies) - errors, len(latencies) - errors, sent_seconds, q[49], q[94],
                   q[98], max(latencies), q[98], errors)


def _material_event(rng: random.Random, p: Plan, run: str, i: int) -> dict[str, object]:
    event = _event(rng, p, run, i)
    if event["type"] == "join_group":
        event["type"], event["targetId"] = "open_material", rng.choice(p.materials)
    return event


def run_alerts_benchmark(*, rate: float, seconds: float, warmup: float, customers: int, seed: int, advisors: int,
                         port: int, fresh: bool, console: Console, peer: bool = False, keep: bool = False,
                         profile: bool = False) -> Figures:
    target = start_bench_target(console)
    with Database(target) as db:
        prepare(db, customers=customers, seed=seed, fresh=fresh, console=console)
        db.apply_schema()
        load_library(db)  # the tags intake writes must be defined (the API defines the rules' own at start)
        stamp = int(time.time())
        app_token = create_token(db, f"bench-alerts-app-{stamp}", Role.APP)
        admin_token = create_token(db, f"bench-alerts-admin-{stamp}", Role.ADMIN)
        p = plan(db, advisors)
    # one worker: the alert broker is in-process (see carkg.tags.alerts)
    with api_process(target, port, 1, Settings().state_dir / "bench" / "alerts-api.log") as api:
        wait_ready(f"http://127.0.0.1:{port}/ready", api)
        n_customers = sum(len(v) for v in p.customers.values())
        console.print(f"{len(p.customers)} advisors subscribed ({n_customers} WeCom customers); posting "
                      f"{rate:g} events/s for {seconds:g}s (+{warmup:g}s warm-up), one event per request")
        samples = Settings().state_dir / "bench" / "alerts-api.pyspy.txt"
        with sampled(api.pid, warmup + seconds, samples) if profile else nullcontext():
            figures = asyncio.run(drive(f"http://127.0.0.1:{port}", app_token, admin_token, p, rate=rate,
                                        seconds=seconds, warmup=warmup, seed=seed))
    if profile:
        print_profile(console, "POST /events → alert", samples)
    console.print(
        f"[bold]bench alerts[/] {figures.sent} events in {figures.seconds:.1f}s = {figures.rate:.1f} events/s "
        f"(target {rate:g}); {figures.alerts} alerts received, {figures.sent - figures.alerts} missing, "
        f"{figures.errors} HTTP errors; event→alert p50 {figures.p50_ms:.1f} ms, p95 {figures.p95_ms:.1f} ms, "
        f"p99 {figures.p99_ms:.1f} ms, max {figures.max_ms:.1f} ms; POST /events p99 {figures.http_p99_ms:.1f} ms"
    )
    figures_to_keep = {"alerts.p99_ms": (round(figures.p99_ms, 1), "ms")}
    if peer:
        bare = asyncio.run(bare_driver(target, p, rate=rate, seconds=seconds, warmup=warmup, seed=seed))
        console.print(
            f"[bold]bench alerts[/] bare driver (one write per event: store, tag, read the advisors; no HTTP): "
            f"{bare.sent} events at {bare.rate:.1f}/s, {bare.errors} errors; p50 {bare.p50_ms:.1f} ms, "
            f"p99 {bare.p99_ms:.1f} ms; carkg's overhead at p99 {figures.p99_ms - bare.p99_ms:.1f} ms, "
            f"at p50 {figures.p50_ms - bare.p50_ms:.1f} ms")
        figures_to_keep |= {"alerts.bare_driver.p99_ms": (round(bare.p99_ms, 1), "ms"),
                            "alerts.overhead_p99_ms": (round(figures.p99_ms - bare.p99_ms, 1), "ms")}
    if keep:
        from carkg.bench.record import record

        record(figures_to_keep, f"carkg bench alerts --rate {rate:g} --seconds {seconds:g}"
                                f"{' --peer' if peer else ''}")
    return figures


__all__ = ["Figures", "run_alerts_benchmark"]
