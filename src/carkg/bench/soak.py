"""`carkg bench soak` (`make soak`): many closed-loop clients for minutes, mixing customer-360 reads, a
tag-filtered list, tag writes and event intake, with a One ID resolution run halfway through.

It prints the errors (must be 0) by kind, p99 per window and its drift (last window ÷ first), and the API
processes' memory at the start and the end: a leak or a slow build-up shows in the last two, a lock or a
pool that does not recover in the errors and the drift. Used by the suite (`tests/test_soak.py`, seconds on
a small demo) and `make soak` (50 clients, 10 minutes, recorded).
"""

from __future__ import annotations

import asyncio
import random
import statistics
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import Any

import aiohttp
import orjson
from rich.console import Console

from carkg.auth import Role
from carkg.auth.tokens import create_token
from carkg.graph import Database
from carkg.graph.database import Target
from carkg.paths import GRAPHQL_DIR
from carkg.tags import TagDefinition, define

# what a client does next, by share of requests
MIX = {"customer360": 0.6, "tagged_list": 0.15, "tag_write": 0.15, "event": 0.1}
SOAK_TAG = TagDefinition(code="soak_checked", name_zh="压测已查看", name_en="checked by the soak run",
                         category="behaviour")
TARGET = '(target: {label: CUSTOMER_RECORD, key: $key}, code: "soak_checked") { status }'
TAG = f"mutation ($key: String!) {{ tag{TARGET} }}"
UNTAG = f"mutation ($key: String!) {{ untag{TARGET} }}"


@dataclass
class Sample:
    at: float  # seconds into the run when the request was sent
    kind: str
    seconds: float
    ok: bool


@dataclass
class SoakReport:
    run: str = ""  # the prefix of the events this run posted
    window: float = 60.0  # seconds per p99 window
    samples: list[Sample] = field(default_factory=list)
    errors_by_kind: Counter[str] = field(default_factory=Counter)
    error_examples: list[str] = field(default_factory=list)
    rss_start_mb: float = 0.0
    rss_end_mb: float = 0.0
    resolve_seconds: float = 0.0
    resolve_error: str | None = None
    seconds: float = 0.0

    @property
    def errors(self) -> int:
        """Failed requests, plus one when the resolution run failed."""
        return sum(self.errors_by_kind.values()) + (self.resolve_error is not None)

    def p99_by_window(self) -> list[tuple[int, int, float]]:
        """(window, requests, p99 ms) for each whole window of the run."""
        windows: dict[int, list[float]] = {}
        for s in self.samples:
            windows.setdefault(int(s.at // self.window), []).append(s.seconds)
        whole = max(int(self.seconds // self.window), 1)
        return [(w, len(v), statistics.quantiles(v, n=100)[98] * 1000) for w, v in sorted(windows.items())
                if w < whole and len(v) >= 20]

    @property
    def p99_drift(self) -> float:
        """Last window's p99 ÷ the first's (the first includes the cold start: caches, pools, JIT)."""
        rows = self.p99_by_window()
        return rows[-1][2] / rows[0][2] if len(rows) >= 2 else 1.0

    @property
    def p99_drift_after_warmup(self) -> float:
        """Last window's p99 ÷ the second's: the drift of a warm service, where a leak or a build-up shows."""
        rows = self.p99_by_window()
        return rows[-1][2] / rows[1][2] if len(rows) >= 3 else 1.0

    def summary(self) -> str:
        rate = len(self.samples) / self.seconds if self.seconds else 0.0
        resolved = "" if self.resolve_error is None else f" FAILED: {self.resolve_error}"
        return (f"{len(self.samples)} requests in {self.seconds:.0f}s ({rate:.0f} req/s), errors {self.errors} "
                f"{dict(self.errors_by_kind)}; p99 drift (last window ÷ first) {self.p99_drift:.2f}, after the "
                f"warm-up (last ÷ second) {self.p99_drift_after_warmup:.2f}; API memory "
                f"{self.rss_start_mb:.0f} MB → {self.rss_end_mb:.0f} MB; One ID run {self.resolve_seconds:.1f}s"
                f"{resolved}")


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (uvicorn's workers), from /proc."""
    pids = [pid]
    with suppress(OSError):
        pids += [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    total = 0.0
    for p in pids:
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except OSError:
            continue
        total += sum(int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmRSS:"))
    return total


@dataclass(frozen=True)
class World:
    """What the clients draw from, and the tokens they send."""

    one_ids: list[str]
    keys: list[str]
    codes: list[str]
    materials: list[str]
    analyst: str
    app: str


def world(db: Database, prefix: str, size: int = 5000) -> World:
    """A sample of the graph and two tokens (an analyst's for GraphQL, an OEM app's for events); defines the
    tag the clients write, so the run leaves the demo's own tags alone."""
    define(db, [SOAK_TAG])
    row = db.read("bench/client_sample", size=size)[0]
    if not row["oneIds"] or not row["keys"]:
        raise RuntimeError("the graph has no resolved customers: load and resolve the demo first")
    return World(row["oneIds"], row["keys"], row["codes"] or [SOAK_TAG.code], row["materials"] or ["MAT0001"],
                 create_token(db, f"{prefix}-analyst", Role.ANALYST), create_token(db, f"{prefix}-app", Role.APP))


Action = Callable[[aiohttp.ClientSession, random.Random], Awaitable[tuple[bool, str]]]


def actions(base: str, w: World, run: str) -> dict[str, Action]:
    """One request of each kind; each says whether it succeeded and, if not, what came back."""
    customer_360 = (GRAPHQL_DIR / "customer_360.graphql").read_text("utf-8")
    tagged = (GRAPHQL_DIR / "tagged_entities.graphql").read_text("utf-8")
    analyst = {"Authorization": f"Bearer {w.analyst}", "Content-Type": "application/json"}
    app = {"Authorization": f"Bearer {w.app}", "Content-Type": "application/json"}
    event_ids = count()

    async def graphql(http: aiohttp.ClientSession, query: str, variables: dict[str, Any],
                      root: str) -> tuple[bool, str]:
        async with http.post(f"{base}/graphql", data=orjson.dumps({"query": query, "variables": variables}),
                             headers=analyst) as resp:
            status, raw = resp.status, await resp.read()
        body = orjson.loads(raw) if status == 200 else {}
        good = status == 200 and not body.get("errors") and (body.get("data") or {}).get(root) is not None
        return good, "" if good else f"HTTP {status} {raw[:300]!r}"

    async def read(http: aiohttp.ClientSession, rng: random.Random) -> tuple[bool, str]:
        return await graphql(http, customer_360, {"oneId": rng.choice(w.one_ids)}, "customer")

    async def listing(http: aiohttp.ClientSession, rng: random.Random) -> tuple[bool, str]:
        return await graphql(http, tagged, {"code": rng.choice(w.codes)}, "taggedEntities")

    async def tag(http: aiohttp.ClientSession, rng: random.Random) -> tuple[bool, str]:
        mutation, root = (TAG, "tag") if rng.random() < 0.6 else (UNTAG, "untag")
        return await graphql(http, mutation, {"key": rng.choice(w.keys)}, root)

    async def event(http: aiohttp.ClientSession, rng: random.Random) -> tuple[bool, str]:
        payload = [{"eventId": f"{run}{next(event_ids)}", "type": "open_material", "channel": "wecom",
                    "customerKey": rng.choice(w.keys), "targetId": rng.choice(w.materials),
                    "at": "2026-12-01T10:00:00+08:00"}]
        async with http.post(f"{base}/events", data=orjson.dumps(payload), headers=app) as resp:
            status, raw = resp.status, await resp.read()
        good = status == 200 and not orjson.loads(raw).get("rejected")
        return good, "" if good else f"HTTP {status} {raw[:300]!r}"

    return {"customer360": read, "tagged_list": listing, "tag_write": tag, "event": event}


class _Soak:
    def __init__(self, base: str, w: World, target: Target, *, seconds: float, window: float, full: bool) -> None:
        run = f"soak-{time.time_ns()}-"
        self.todo = actions(base, w, run)
        self.target, self.seconds, self.full = target, seconds, full
        self.report = SoakReport(run=run, window=window)
        self.started = time.perf_counter()

    def record(self, kind: str, sent: float, ok: bool, why: str) -> None:
        self.report.samples.append(Sample(sent - self.started, kind, time.perf_counter() - sent, ok))
        if not ok:
            self.report.errors_by_kind[kind] += 1
            if len(self.report.error_examples) < 10:
                self.report.error_examples.append(f"{sent - self.started:.0f}s {kind}: {why}")

    async def client(self, rng: random.Random, http: aiohttp.ClientSession) -> None:
        kinds, weights = list(MIX), list(MIX.values())
        stop_at = self.started + self.seconds
        while (sent := time.perf_counter()) < stop_at:
            kind = rng.choices(kinds, weights)[0]
            try:
                ok, why = await self.todo[kind](http, rng)
            except (aiohttp.ClientError, TimeoutError, orjson.JSONDecodeError) as exc:
                ok, why = False, f"{type(exc).__name__}: {exc}"
            self.record(kind, sent, ok, why)

    def resolve_halfway(self) -> None:
        from carkg.identity import resolve

        time.sleep(self.seconds / 2)
        t = time.perf_counter()
        try:
            with Database(self.target) as db:
                resolve(db, incremental=not self.full)
        except Exception as exc:  # a failed run is an error of the soak, reported, not a crashed benchmark
            self.report.resolve_error = f"{type(exc).__name__}: {exc}"
        self.report.resolve_seconds = time.perf_counter() - t

    async def drive(self, clients: int, api_pid: int) -> SoakReport:
        self.report.rss_start_mb = rss_mb(api_pid)
        resolver = threading.Thread(target=self.resolve_halfway, daemon=True)
        self.started = time.perf_counter()
        resolver.start()
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=clients),
                                         timeout=aiohttp.ClientTimeout(total=30)) as http:
            await asyncio.gather(*(self.client(random.Random(i), http) for i in range(clients)))
        self.report.seconds = time.perf_counter() - self.started
        self.report.rss_end_mb = rss_mb(api_pid)
        await asyncio.to_thread(resolver.join, 1800)
        return self.report


def soak(base: str, w: World, target: Target, *, clients: int, seconds: float, api_pid: int,
         window: float = 60.0, full_resolve: bool = True) -> SoakReport:
    """`clients` closed-loop clients against the API at `base` for `seconds`; halfway, One ID resolves the
    graph at `target` (in full by default: the run that rewrites the most while clients read)."""
    run = _Soak(base, w, target, seconds=seconds, window=window, full=full_resolve)
    return asyncio.run(run.drive(clients, api_pid))


def run_soak_benchmark(*, clients: int, minutes: float, customers: int, seed: int, workers: int, port: int,
                       full_resolve: bool, fresh: bool, console: Console, keep: bool) -> SoakReport:
    from carkg.bench.demo import load_demo, prepare_demo_graph
    from carkg.bench.record import record
    from carkg.bench.server import api_process, start_bench_target, wait_ready
    from carkg.settings import Settings

    target = start_bench_target(console)
    with Database(target) as db:
        db.apply_schema()
        if fresh:
            load_demo(db, customers, seed)
        prepare_demo_graph(db, customers=customers, seed=seed, console=console)
        w = world(db, f"soak-{time.time_ns()}")
    with api_process(target, port, workers, Settings().state_dir / "bench" / "soak-api.log") as api:
        wait_ready(f"http://127.0.0.1:{port}/ready", api)
        console.print(f"{clients} closed-loop clients for {minutes:g} min, mix {MIX}, {workers} API workers; "
                      f"a {'full' if full_resolve else 'incremental'} One ID run starts halfway")
        report = soak(f"http://127.0.0.1:{port}", w, target, clients=clients, seconds=minutes * 60, api_pid=api.pid,
                      full_resolve=full_resolve)
    for window, n, p99 in report.p99_by_window():
        console.print(f"  minute {window + 1}: {n} requests, p99 {p99:.0f} ms")
    console.print(f"[bold]bench soak[/] {report.summary()}")
    for example in report.error_examples:
        console.print(f"  error: {example}")
    if keep:
        record({"reliability.soak_errors": (report.errors, "requests"),
                "reliability.soak_p99_drift": (round(report.p99_drift, 2), "p99 last minute / first minute"),
                "reliability.soak_p99_drift_after_warmup": (round(report.p99_drift_after_warmup, 2),
                                                            "p99 last minute / second minute"),
                "reliability.soak_api_rss_start_mb": (round(report.rss_start_mb), "MB"),
                "reliability.soak_api_rss_end_mb": (round(report.rss_end_mb), "MB")},
               f"carkg bench soak --clients {clients} --minutes {minutes:g} --customers {customers}")
    return report


__all__ = ["SoakReport", "World", "run_soak_benchmark", "soak", "world"]
