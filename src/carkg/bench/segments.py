"""`carkg bench segments`: count and first members page of a fixed set of segments on the N-customer demo.

The graph lives on the benchmark server and is reused when it already holds resolved persons (`--fresh`
rebuilds it: the bulk import for the customer files, the transactional loader for events, chats skipped).
Persons come from `carkg.identity.resolve` when that is importable; otherwise, or with `--persons truth`
(written by the import itself) — clearly labelled — one Person per true person of the demo truth file
(the answer key, not a resolver). Tags
come from a deterministic bench tagging pass (cypher/segments/bench_tag_records.cypher). Dynamic
dates are evaluated against a fixed moment (BENCH_NOW) so the figures do not drift with the calendar.
"""

from __future__ import annotations

import csv
import json
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, LiteralString, cast

from rich.console import Console
from rich.table import Table

from carkg.bench.demo import DemoSet, demo_set
from carkg.bench.machine import describe
from carkg.bench.server import bench_server, bench_target
from carkg.graph import Database
from carkg.graph.cypher import cypher
from carkg.graph.model import NodeLabel, RelType
from carkg.ingest.bulk.graph import BulkGraph
from carkg.localneo4j import LocalServer
from carkg.paths import PROJECT_ROOT
from carkg.segments import builtins, engine
from carkg.segments.dates import CHINA
from carkg.segments.engine import Request
from carkg.settings import Settings

BENCH_NOW = datetime(2026, 11, 24, 12, 0, tzinfo=CHINA)  # the demo's data ends on 2026-10-31
FIELD_EXAMPLE = PROJECT_ROOT / "loaders" / "segments" / "examples" / "field_example.json"


@dataclass(frozen=True)
class Result:
    name: str
    members: int
    anchor: str
    count_ms: list[float]
    page_ms: list[float]


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def segments_under_test() -> dict[str, Any]:
    """The fixed set: the field example, one quadrant, one persona, and three single-kind segments."""
    by_id = {b.id: b.definition for b in builtins.builtins()}
    return {
        "field example": json.loads(FIELD_EXAMPLE.read_text(encoding="utf-8")),
        "tag: high_purchase_intent": {"kind": "tag", "code": "high_purchase_intent"},
        "event: share_content ≥3 in 90d": {"kind": "event", "types": ["share_content"], "minCount": 3,
                                           "window": {"lastDays": 90}},
        "quadrant high intent × high activity": by_id["quadrant_high_intent_high_activity"],
        "quadrant low intent × low activity": by_id["quadrant_low_intent_low_activity"],
        "persona tech enthusiast": by_id["persona_tech_enthusiast"],
    }


def _auto_commit(db: Database, name: str) -> None:
    with db.driver.session(database=db.target.database) as session:
        session.run(cast(LiteralString, cypher(name))).consume()


def resolve_persons(db: Database, truth: Path, console: Console, persons: str = "auto") -> str:
    """`auto`: the resolver when importable, else the truth file; `resolver` / `truth` force one."""
    resolve: Callable[[Database], Any] | None = None
    if persons != "truth":
        try:
            from carkg.identity import resolve
        except ImportError:
            if persons == "resolver":
                raise
    if resolve is not None:
        resolve(db)
        return "carkg.identity.resolve"
    _truth_warning(console, "--persons truth" if persons == "truth" else "carkg.identity is not importable here")
    with truth.open(encoding="utf-8") as f:
        rows = [{"key": f"{r['system']}:{r['source_id']}", "pid": r["person_id"]} for r in csv.DictReader(f)]
    for start in range(0, len(rows), 10_000):
        db.write_batch(cypher("segments/bench_persons_from_truth"), rows[start:start + 10_000])
    return "truth-file fallback"


# What segments read: records, their events, leads, vehicles, orders, phones, advisors and dealers. Chat
# messages feed no condition and no bench tag, so the bench skips them. Events go through the
# transactional loader after the import: the bulk path holds the whole graph in memory (≈ 1.5 GB per
# 100k customers with events), which at 1M customers would not fit beside the other work on the machine.
BULK_SOURCES = ["dealers", "advisors", "materials", "event_groups", "dms_customers", "dms_orders", "aftersales",
                "leads", "wecom_contacts"]
STREAMED_SOURCES = ["wecom_events"]


def truth_persons(truth: Path) -> Callable[[BulkGraph], None]:
    """bench_persons_from_truth.cypher replayed on the bulk graph (one Person per true person), so the
    import writes the persons too instead of a MERGE per record afterwards."""
    def extend(graph: BulkGraph) -> None:
        at = datetime.now(UTC)
        with truth.open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                record = (NodeLabel.CUSTOMER_RECORD, f"{row['system']}:{row['source_id']}")
                if not graph.exists(*record):
                    continue
                person = (NodeLabel.PERSON, f"OID-{row['person_id']}")
                props = graph.merge(*person, {"createdAt": at, "recordCount": 0})
                props["updatedAt"], props["recordCount"] = at, props["recordCount"] + 1
                graph.merge_rel(RelType.RESOLVED_TO, record, person, on_create={
                    "method": "score", "score": 1.0, "runId": "bench-truth-fallback", "at": at})
    return extend


def bulk_load_demo(server: LocalServer, demo: DemoSet, console: Console, *, with_truth_persons: bool) -> None:
    """The demo set into the emptied benchmark graph: the bulk import (`carkg load --bulk`) for the customer
    files, then the events through the transactional loader; chats left out."""
    from carkg.ingest import Loader
    from carkg.ingest.bulk import bulk_load
    from carkg.secrets import secret_key

    key = secret_key(Settings().secret_key_path)
    with Database(bench_target(server)) as db:
        db.wipe()
    started = time.perf_counter()
    report = bulk_load(server, demo.exports, demo.rejects, key=key, replace_empty_only=True, only=BULK_SOURCES,
                       extend=truth_persons(demo.truth) if with_truth_persons else None)
    phases = ", ".join(f"{k} {v:.0f}s" for k, v in report.phases.items())
    console.print(f"Bulk import of {', '.join(BULK_SOURCES)}{' and truth persons' if with_truth_persons else ''} "
                  f"in {time.perf_counter() - started:.0f}s: {report.nodes} nodes, {report.relationships} "
                  f"relationships; {phases}")
    started = time.perf_counter()
    with Database(bench_target(server)) as db:
        Loader(db, key=key, batch_size=Settings().batch_size).load(
            demo.exports, demo.root / "rejects-events.csv", only=STREAMED_SOURCES)
    seconds = time.perf_counter() - started
    console.print(f"Events ({', '.join(STREAMED_SOURCES)}, transactional loader) in {seconds:.0f}s")


def _truth_warning(console: Console, why: str) -> None:
    console.print(f"[bold yellow]WARNING:[/] {why}: building Persons from the demo TRUTH FILE (one per true "
                  "person) — a labelled benchmark fallback, not identity resolution")


def prepare_graph(server: LocalServer, *, customers: int, seed: int, fresh: bool, console: Console,
                  persons: str = "auto") -> str:
    """Demo set bulk-loaded, persons resolved, tags applied; reused when already there."""
    with Database(bench_target(server)) as db:
        existing = db.query("MATCH (p:Person) RETURN count(p) AS n", write=False)[0]["n"]
        method = db.query("MATCH ()-[r:RESOLVED_TO]->() RETURN r.runId AS run LIMIT 1", write=False)
    if existing and not fresh:
        console.print(f"Reusing the benchmark graph ({existing} persons); --fresh rebuilds it")
        source = "truth-file fallback" if method and method[0]["run"] == "bench-truth-fallback" else "resolver"
    else:
        started = time.perf_counter()
        demo = demo_set(customers, seed)
        console.print(f"Demo exports for {customers} customers ready in {time.perf_counter() - started:.0f}s")
        started = time.perf_counter()
        if persons == "truth":
            _truth_warning(console, "--persons truth")
        bulk_load_demo(server, demo, console, with_truth_persons=persons == "truth")
        console.print(f"Loaded in {time.perf_counter() - started:.0f}s")
        if persons == "truth":
            source = "truth-file fallback"
        else:
            started = time.perf_counter()
            with Database(bench_target(server)) as db:
                source = resolve_persons(db, demo.truth, console, persons)
            console.print(f"Persons ({source}) in {time.perf_counter() - started:.0f}s")
    with Database(bench_target(server)) as db:
        tagged = db.query("MATCH (ta:TagAssignment {actor: 'bench-segments'}) RETURN ta LIMIT 1", write=False)
        if existing and not fresh and tagged:  # the pass ran when the graph was built (minutes at 1M)
            console.print("Reusing the bench tags (the tagging pass ran when the graph was built)")
        else:
            _tag(db, console)
    return source


def _tag(db: Database, console: Console) -> None:
    """The bench tagging pass (idempotent: MERGE on deterministic ids), run on every start."""
    db.apply_schema()
    started = time.perf_counter()
    db.write("segments/bench_tag_library")
    _auto_commit(db, "segments/bench_tag_records")
    console.print(f"Bench tagging pass in {time.perf_counter() - started:.0f}s")


def _clock() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC, load average {one:.2f} {five:.2f} {fifteen:.2f}"


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    out = fn()
    return (time.perf_counter() - started) * 1000, out


def plan_leaves(db: Database, definition: Any) -> list[str]:
    """The operators the count query's plan starts from (EXPLAIN): index seeks, label scans, never all nodes."""
    explained = engine.explain(db, definition, Request(now=BENCH_NOW))
    _, summary, _ = db.driver.execute_query(cast(LiteralString, "EXPLAIN " + explained.cypher), explained.params,
                                            database_=db.target.database)
    leaves: list[str] = []

    def walk(op: dict[str, Any]) -> None:
        name = op["operatorType"].split("@")[0]
        if "Scan" in name or "Seek" in name:
            leaves.append(f"{name} {op.get('args', {}).get('Details', '')[:70]}")
        for child in op.get("children", []):
            walk(child)

    walk(summary.plan)
    return leaves


def measure(db: Database, name: str, definition: Any, repeats: int) -> Result:
    request = Request(now=BENCH_NOW)
    anchor = engine.explain(db, definition, request).anchor
    members = engine.count(db, definition, request)  # warm-up (plan cache, page cache)
    engine.members(db, definition, request, first=20)
    count_ms = [_timed(lambda: engine.count(db, definition, request))[0] for _ in range(repeats)]
    page_ms = [_timed(lambda: engine.members(db, definition, request, first=20))[0] for _ in range(repeats)]
    return Result(name, members, anchor, count_ms, page_ms)


def run_segments_benchmark(*, customers: int, seed: int, repeats: int, fresh: bool, console: Console,
                           persons: str = "auto") -> list[Result]:
    server = bench_server()
    console.print(f"Machine: {describe()}")
    with console.status("Starting the benchmark's own Neo4j…"):
        server.start()
    source = prepare_graph(server, customers=customers, seed=seed, fresh=fresh, console=console, persons=persons)
    with Database(bench_target(server)) as db:
        counts = db.query("MATCH (p:Person) WITH count(p) AS persons MATCH (r:CustomerRecord) "
                          "RETURN persons, count(r) AS records", write=False)[0]
        console.print(f"Graph: {counts['persons']} persons ({source}), {counts['records']} records; "
                      f"now = {BENCH_NOW.isoformat()}; {repeats} runs each")
        field_example = segments_under_test()["field example"]
        console.print("Field example plan starts from:", *sorted(set(plan_leaves(db, field_example))), sep="\n  ")
        console.print(f"Measuring from {_clock()}")
        results = [measure(db, name, d, repeats) for name, d in segments_under_test().items()]
        console.print(f"Measured until {_clock()} (load average above ~2 on this machine means shared CPU)")
    table = Table("segment", "members", "starts from", "count p50", "count p95", "page p50", "page p95")
    for r in results:
        table.add_row(r.name, str(r.members), r.anchor, f"{statistics.median(r.count_ms):.0f} ms",
                      f"{_pct(r.count_ms, 0.95):.0f} ms", f"{statistics.median(r.page_ms):.0f} ms",
                      f"{_pct(r.page_ms, 0.95):.0f} ms")
    console.print(table)
    return results
