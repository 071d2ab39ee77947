"""Neo4j stopped and started again while events arrive at a steady rate: what the callers saw and what the
graph kept.

The producers behave like a WeCom relay: each keeps a queue of its events, posts what is queued (one event
in normal times, a backlog after an outage) and, on a 503, waits the Retry-After the API asked for. An event
is *accepted* when a POST carrying it is answered 200. Afterwards the graph is counted: every accepted event
must be stored exactly once (`lost` and `miswired` must be 0). `/ready` is polled throughout, so the report
says whether the API reported the outage and came back by itself (the API process is never restarted).

Used by the suite (`tests/test_reliability_outage.py`, short) and `carkg bench outage` (longer, recorded).
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import orjson
from rich.console import Console

from carkg.auth import Role
from carkg.auth.tokens import create_token
from carkg.bench.record import record
from carkg.bench.server import api_process, fault_server, wait_ready
from carkg.graph import Database
from carkg.graph.database import Target
from carkg.localneo4j import LocalServer
from carkg.settings import Settings
from carkg.tags.library import load_library

PRODUCERS = 20
MAX_POST = 100  # events per POST when a producer has a backlog
RETRY_CAP_S = 5.0


@dataclass
class OutageReport:
    sent: int = 0  # distinct events produced
    accepted: int = 0  # events in a POST answered 200
    stored: int = 0  # events of this run in the graph
    miswired: int = 0  # stored events not tied to exactly one customer record
    statuses: Counter[int] = field(default_factory=Counter)  # per POST
    no_retry_after: int = 0  # 503s without a Retry-After header
    failures: list[str] = field(default_factory=list)  # anything but 200 / 503-with-Retry-After, first few
    failure_count: int = 0
    ready: list[tuple[float, int]] = field(default_factory=list)  # (seconds into the run, /ready status)
    api_survived: bool = True  # the API process was still running at the end
    stopped_at: float = 0.0
    started_at: float = 0.0  # Neo4j answering again
    first_200_after: float = 0.0
    seconds: float = 0.0

    @property
    def lost(self) -> int:
        """Accepted but not in the graph."""
        return max(self.accepted - self.stored, 0)

    @property
    def ready_reported_outage(self) -> bool:
        return any(s == 503 for t, s in self.ready if self.stopped_at <= t <= self.started_at + 1)

    @property
    def ready_recovered(self) -> bool:
        return bool(self.ready) and self.ready[-1][1] == 200

    def summary(self) -> str:
        codes = ", ".join(f"{code}: {n}" for code, n in sorted(self.statuses.items()))
        return (f"{self.sent} events sent, {self.accepted} accepted, {self.stored} stored, {self.lost} lost, "
                f"{self.miswired} stored twice or half; POSTs by status {{{codes}}}, {self.failure_count} "
                f"failures; Neo4j down {self.started_at - self.stopped_at:.1f}s, first 200 "
                f"{self.first_200_after - self.started_at:.1f}s after it answered; /ready reported the outage: "
                f"{self.ready_reported_outage}, recovered: {self.ready_recovered}")


def _event(prefix: str, i: int) -> dict[str, str]:
    return {"eventId": f"{prefix}{i:07d}", "type": "open_material", "at": "2026-12-01T10:00:00+08:00",
            "externalUserId": f"{prefix}u{i % 500:03d}", "targetId": f"{prefix}m{i % 7}", "channel": "wecom"}


class _Run:
    def __init__(self, base: str, token: str, prefix: str, rate: float) -> None:
        self.base, self.token, self.prefix, self.rate = base, token, prefix, rate
        self.report = OutageReport()
        self.queues: list[deque[dict[str, str]]] = [deque() for _ in range(PRODUCERS)]
        self.t0 = time.monotonic()
        self.producing = True
        self.neo4j_up_at: float | None = None

    def now(self) -> float:
        return time.monotonic() - self.t0

    def fail(self, what: str) -> None:
        self.report.failure_count += 1
        if len(self.report.failures) < 10:
            self.report.failures.append(what)

    async def produce(self) -> None:
        i = 0
        while self.producing:
            due = i / self.rate
            if (wait := due - self.now()) > 0:
                await asyncio.sleep(wait)
            self.queues[i % PRODUCERS].append(_event(self.prefix, i))
            i += 1
        self.report.sent = i

    async def post(self, http: aiohttp.ClientSession, q: deque[dict[str, str]]) -> None:
        while self.producing or q:
            if not q:
                await asyncio.sleep(0.005)
                continue
            batch = [q[k] for k in range(min(len(q), MAX_POST))]
            retry = await self._send(http, batch)
            if retry is None:
                for _ in batch:
                    q.popleft()
            else:
                await asyncio.sleep(retry)

    async def _send(self, http: aiohttp.ClientSession, batch: list[dict[str, str]]) -> float | None:
        """None when the batch was accepted, else how long to wait before sending it again."""
        try:
            async with http.post(f"{self.base}/events", data=orjson.dumps(batch)) as resp:
                status, raw, after = resp.status, await resp.read(), resp.headers.get("Retry-After")
        except (aiohttp.ClientError, TimeoutError) as exc:
            self.fail(f"{self.now():.1f}s {type(exc).__name__}: {exc}")
            return 1.0
        self.report.statuses[status] += 1
        if status == 200:
            body = orjson.loads(raw)
            if body.get("rejected"):
                self.fail(f"{self.now():.1f}s rejected: {body['rejected'][:1]}")
            self.report.accepted += len(batch)
            if self.neo4j_up_at is not None and not self.report.first_200_after:
                self.report.first_200_after = self.now()
            return None
        if status == 503 and after:
            return min(float(after), RETRY_CAP_S)
        if status == 503:
            self.report.no_retry_after += 1
        self.fail(f"{self.now():.1f}s HTTP {status}: {raw[:200]!r}")
        return 1.0

    async def poll_ready(self, http: aiohttp.ClientSession) -> None:
        while self.producing or any(self.queues):
            try:
                async with http.get(f"{self.base}/ready") as resp:
                    self.report.ready.append((self.now(), resp.status))
            except (aiohttp.ClientError, TimeoutError):
                self.report.ready.append((self.now(), 0))
            await asyncio.sleep(0.5)
        async with http.get(f"{self.base}/ready") as resp:
            self.report.ready.append((self.now(), resp.status))

    async def fault(self, server: LocalServer, *, before: float, down: float, after: float) -> None:
        await asyncio.sleep(before)
        self.report.stopped_at = self.now()
        await asyncio.to_thread(server.stop)
        await asyncio.sleep(down)
        await asyncio.to_thread(server.start)
        self.report.started_at = self.now()
        self.neo4j_up_at = self.report.started_at
        await asyncio.sleep(after)
        self.producing = False


async def _drive(run: _Run, server: LocalServer, *, before: float, down: float, after: float,
                 drain: float) -> None:
    headers = {"Authorization": f"Bearer {run.token}", "Content-Type": "application/json"}
    async with aiohttp.ClientSession(headers=headers, timeout=aiohttp.ClientTimeout(total=30),
                                     connector=aiohttp.TCPConnector(limit=PRODUCERS + 2)) as http:
        posters = [asyncio.create_task(run.post(http, q)) for q in run.queues]
        ready = asyncio.create_task(run.poll_ready(http))
        await asyncio.gather(run.produce(), run.fault(server, before=before, down=down, after=after))
        try:
            await asyncio.wait_for(asyncio.gather(*posters, ready), timeout=drain)
        except TimeoutError:
            run.fail(f"{sum(map(len, run.queues))} events still queued {drain:g}s after the last was produced")
    run.report.seconds = run.now()


def run_outage(server: LocalServer, db_for: Callable[[], Database], base: str, token: str, *, prefix: str,
               rate: float = 200.0, before: float = 3.0, down: float = 3.0, after: float = 5.0,
               drain: float = 90.0) -> OutageReport:
    """Post `rate` events/s to the API at `base`, stop `server` `before` seconds in, start it again `down`
    seconds after it stopped, go on `after` seconds more, let the producers drain, then count the graph.
    `db_for` opens a database handle once the server is back (a driver made before the stop may be stale)."""
    run = _Run(base, token, prefix, rate)
    asyncio.run(_drive(run, server, before=before, down=down, after=after, drain=drain))
    with db_for() as db:
        row = db.read("admin/events_by_prefix", prefix=prefix)[0]
    run.report.stored, run.report.miswired = int(row["stored"]), int(row["miswired"])
    return run.report


def outage_scenario(*, port: int, state_dir: Path, rate: float = 200.0, before: float = 3.0, down: float = 3.0,
                    after: float = 5.0, console: Console | None = None) -> OutageReport:
    """The whole scenario on the fault server: an empty graph with the schema and tag library, an app token,
    the API as its own uvicorn process (one worker), `run_outage`, and whether the API process survived."""
    server = fault_server()
    server.start()
    target = Target(server.bolt_uri, "neo4j", server.password, "neo4j", local=True)
    with Database(target) as db:
        db.wipe()
        db.apply_schema()
        load_library(db)
        token = create_token(db, f"outage-relay-{time.time_ns()}", Role.APP)
    with api_process(target, port, 1, state_dir / "outage-api.log", env={"CARKG_STATE_DIR": str(state_dir)}) as api:
        base = f"http://127.0.0.1:{port}"
        wait_ready(f"{base}/ready", api)
        if console:
            console.print(f"Posting {rate:g} events/s; Neo4j stops {before:g}s in and starts {down:g}s after")
        report = run_outage(server, lambda: Database(target), base, token, prefix=f"outage-{time.time_ns()}-",
                            rate=rate, before=before, down=down, after=after)
        report.api_survived = api.poll() is None
    return report


def run_outage_benchmark(*, rate: float, before: float, down: float, after: float, port: int, console: Console,
                         keep: bool) -> OutageReport:
    from carkg.bench.machine import describe

    console.print(f"Machine: {describe()}")
    state = Settings().state_dir / "bench" / "outage"
    state.mkdir(parents=True, exist_ok=True)
    report = outage_scenario(port=port, state_dir=state, rate=rate, before=before, down=down, after=after,
                             console=console)
    fault_server().stop()
    console.print(f"[bold]bench outage[/] {report.summary()}; API survived: {report.api_survived}")
    for failure in report.failures:
        console.print(f"  failure: {failure}")
    if keep:
        command = f"carkg bench outage --rate {rate:g} --down {down:g}"
        record({"reliability.events_lost": (report.lost + report.miswired, "events"),
                "reliability.outage_failures": (report.failure_count, "requests")}, command)
    return report


__all__ = ["OutageReport", "outage_scenario", "run_outage", "run_outage_benchmark"]
