"""`carkg bench leads`: lead scoring on the N-customer demo — training time, time-split AUC and top-decile
lift for the model and the rule baseline (measured in the same run), the time to score every open lead,
and how long a new event takes to show up as a new score in GraphQL.

The demo set is loaded through the real loaders into the benchmark's own Neo4j and resolved by One ID;
the model is trained and the open leads scored as of the demo's last day. For event→score, one new lead
per sampled person arrives "now" (the demo's own leads are dated at its anchor day), the API runs as its
own uvicorn process with the model just trained, and events are posted open-loop at a fixed rate, each
for a different one of those persons. Every 20th event is timed: from its send to the first GraphQL read
of its lead whose `scoredAt` is at or after the send (polled every 25 ms, so the figure is up to 25 ms
high); polling every event would itself become the load. 20 events are posted one by one first,
unmeasured, so the server's query plans are compiled (as `carkg bench alerts` does).
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import aiohttp
import orjson
from rich.console import Console

from carkg.auth import Role
from carkg.auth.tokens import create_token
from carkg.bench.demo import AS_OF, demo_set, holds, load_demo
from carkg.bench.record import record
from carkg.bench.server import api_process, start_bench_target, wait_ready
from carkg.graph import Database
from carkg.identity import resolve
from carkg.leads import score_open_leads, train
from carkg.leads.report import metrics_table
from carkg.leads.score import score
from carkg.settings import Settings
from carkg.tags import load_library

LEAD_QUERY = "query ($id: String!) { lead(leadId: $id) { score { scoredAt } } }"
POLL_SECONDS = 0.025
SAMPLE_EVERY = 20
WARMUP_EVENTS = 20
GIVE_UP_SECONDS = 10.0


@dataclass
class LiveFigures:
    sent: int
    seconds: float
    timed: int
    seen: int
    errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float

    @property
    def rate(self) -> float:
        return self.sent / self.seconds


def prepare(db: Database, *, customers: int, seed: int, fresh: bool, console: Console) -> None:
    """Load and resolve the demo set unless the benchmark graph already holds it, resolved."""
    held = db.query("RETURN COUNT { (:LeadActivity) } AS activities, COUNT { (:Person) } AS persons")[0]
    if held["activities"] and held["persons"] and holds(db, demo_set(customers, seed, progress=False)) and not fresh:
        console.print(f"Reusing the benchmark graph ({held['persons']} persons); --fresh reloads it")
        return
    started = time.perf_counter()
    load_demo(db, customers, seed, progress=False)
    console.print(f"Demo of {customers} customers loaded in {time.perf_counter() - started:.0f}s")
    started = time.perf_counter()
    resolve(db)
    console.print(f"One ID resolved in {time.perf_counter() - started:.0f}s")


def arriving_leads(db: Database, count: int, seed: int) -> list[tuple[str, str]]:
    """One new lead per sampled resolved person, created a day ago: (lead id, a record key of the person)."""
    rows = db.query("""MATCH (r:CustomerRecord)-[:RESOLVED_TO]->(p:Person) WHERE r.stub IS NULL
                       WITH p, min(r.key) AS key RETURN key ORDER BY key""")
    keys = random.Random(seed).sample([r["key"] for r in rows], min(count, len(rows)))
    stamp = int(time.time())
    leads = [(f"BENCH-{stamp}-{i}", key) for i, key in enumerate(keys)]
    db.query("""UNWIND $rows AS row MATCH (r:CustomerRecord {key: row.key})
                CREATE (r)-[:HAS_LEAD]->(:Lead {leadId: row.id, stage: 'new', channel: 'app', createdAt: $at})""",
             {"rows": [{"id": i, "key": k} for i, k in leads], "at": datetime.now(UTC) - timedelta(days=1)})
    return leads


async def drive(base: str, token: str, leads: list[tuple[str, str]], *, rate: float, run: str,
                warmup: list[tuple[str, str]]) -> LiveFigures:
    """Post one book_test_drive event per lead at `rate`, and time each until GraphQL shows its new score.
    The `warmup` leads get theirs first, one at a time and unmeasured, so the server's plans are compiled."""
    latencies: list[float] = []
    errors = 0
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    connector = aiohttp.TCPConnector(limit=200)
    async with aiohttp.ClientSession(headers=headers, connector=connector) as http:

        async def one(event_id: str, lead_id: str, key: str, scheduled: float, *, timed: bool,
                      measured: bool = True) -> None:
            nonlocal errors
            await asyncio.sleep(max(0.0, scheduled - time.monotonic()))
            sent = datetime.now(UTC)
            start = time.monotonic()
            event = {"eventId": event_id, "type": "book_test_drive", "customerKey": key, "channel": "h5",
                     "at": (sent - timedelta(milliseconds=1)).isoformat()}
            async with http.post(f"{base}/events", data=orjson.dumps([event])) as resp:
                if resp.status != 200 or (await resp.json())["stored"] != 1:
                    errors += 1
                    return
            if not timed:
                return
            body = orjson.dumps({"query": LEAD_QUERY, "variables": {"id": lead_id}})
            while time.monotonic() - start < GIVE_UP_SECONDS:
                async with http.post(f"{base}/graphql", data=body) as resp:
                    if resp.status != 200:
                        errors += 1
                        return
                    found = ((await resp.json())["data"]["lead"] or {}).get("score")
                if found and datetime.fromisoformat(found["scoredAt"]) >= sent:
                    if measured:
                        latencies.append((time.monotonic() - start) * 1000)
                    return
                await asyncio.sleep(POLL_SECONDS)

        for i, (lead, key) in enumerate(warmup):
            await one(f"{run}-w{i}", lead, key, 0.0, timed=True, measured=False)
        began = time.monotonic() + 0.5
        await asyncio.gather(*(one(f"{run}-{i}", lead, key, began + i / rate, timed=i % SAMPLE_EVERY == 0)
                               for i, (lead, key) in enumerate(leads)))
        seconds = len(leads) / rate
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [float("nan")] * 99
    timed = len(range(0, len(leads), SAMPLE_EVERY))
    return LiveFigures(len(leads), seconds, timed, len(latencies), errors, q[49], q[94], q[98])


def run_leads_benchmark(*, customers: int, seed: int, rate: float, seconds: float, port: int, fresh: bool,
                        console: Console, keep: bool = True) -> None:
    """`keep`: write the figures to docs/benchmarks.json (off for a quick run on a small demo)."""
    target = start_bench_target(console)
    command = f"carkg bench leads --customers {customers}"
    with Database(target) as db:
        prepare(db, customers=customers, seed=seed, fresh=fresh, console=console)
        db.apply_schema()
        load_library(db)
        started = time.perf_counter()
        model = train(db, AS_OF)
        train_s = time.perf_counter() - started
        started = time.perf_counter()
        scored = score_open_leads(db, model, AS_OF)
        score_open_s = time.perf_counter() - started
        every = [(r["id"], AS_OF) for r in db.query(
            "MATCH (l:Lead) WHERE NOT l.leadId STARTS WITH 'BENCH-' RETURN l.leadId AS id")]
        started = time.perf_counter()
        score(db, model, every)
        score_every_s = time.perf_counter() - started
        models = Settings().state_dir / "bench" / "lead-models"
        model.save(models)
        arrived = arriving_leads(db, int(rate * seconds) + WARMUP_EVENTS, seed)
        warmup, leads = arrived[:WARMUP_EVENTS], arrived[WARMUP_EVENTS:]
        token = create_token(db, f"bench-leads-app-{int(time.time())}", Role.APP)
    console.print(metrics_table(model))
    console.print(f"Trained in {train_s:.1f}s")
    console.print(f"Scored {len(scored)} open leads (as of {AS_OF.date()}) in {score_open_s:.1f}s, stored with "
                  f"factors; every lead of the demo ({len(every)}) in {score_every_s:.1f}s "
                  f"= {len(every) / score_every_s:,.0f} leads/s (features, trees and TreeSHAP, not stored)")
    env = {"CARKG_LEAD_MODELS": str(models)}
    with api_process(target, port, 1, Settings().state_dir / "bench" / "leads-api.log", env) as api:
        wait_ready(f"http://127.0.0.1:{port}/ready", api)
        console.print(f"Posting {len(leads)} events at {rate:g}/s, each for a person with a lead that just "
                      f"arrived; timing every {SAMPLE_EVERY}th until GraphQL shows the new score")
        live = asyncio.run(drive(f"http://127.0.0.1:{port}", token, leads, rate=rate, warmup=warmup,
                                 run=f"bench-leads-{seed}-{int(time.time())}"))
    console.print(f"[bold]bench leads[/] event→new score in GraphQL: {live.sent} events, {live.errors} errors; "
                  f"{live.seen} of the {live.timed} timed seen within {GIVE_UP_SECONDS:g}s: p50 {live.p50_ms:.0f} ms, "
                  f"p95 {live.p95_ms:.0f} ms, p99 {live.p99_ms:.0f} ms at {live.rate:.0f} events/s")
    if not keep:
        return
    m = model.metrics
    record({
        "leads.auc": (round(m.auc, 4), "AUC"),
        "leads.auc_rule_baseline": (round(m.auc_rule_baseline, 4), "AUC"),
        "leads.top_decile_lift": (round(m.top_decile_lift, 2), "x base rate"),
        "leads.score_all_100k_s": (round(score_open_s, 1), f"s for {len(scored)} open leads"),
        "leads.event_to_score_p95_ms": (round(live.p95_ms, 1), f"ms at {rate:g} events/s"),
    }, command)
    console.print("Figures written to docs/benchmarks.json")


__all__ = ["LiveFigures", "run_leads_benchmark"]
