"""The soak run in small (`make soak` runs it at 50 clients for 10 minutes): closed-loop clients reading
customer 360s and tagged lists, writing tags and posting events while One ID resolves the graph in full; no
request fails, every accepted event is stored once, and the report's figures come from what was sent."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from carkg.bench.demo import prepare_demo_graph
from carkg.bench.server import api_process, wait_ready
from carkg.bench.soak import MIX, SOAK_TAG, soak, world
from carkg.graph import Database
from carkg.graph.database import Target


def test_clients_mixing_reads_writes_and_events_through_a_full_resolve_see_no_error(
        database: Database, neo4j_target: Target, tmp_path: Path, free_port: int) -> None:
    database.wipe()
    database.apply_schema()
    prepare_demo_graph(database, customers=150, seed=23, console=Console(quiet=True))
    persons_before = database.query("MATCH (p:Person) RETURN count(p) AS n")[0]["n"]
    w = world(database, "soak-test", size=500)
    log = tmp_path / "api.log"
    with api_process(neo4j_target, free_port, 1, log, env={"CARKG_STATE_DIR": str(tmp_path)}) as api:
        wait_ready(f"http://127.0.0.1:{free_port}/ready", api)
        report = soak(f"http://127.0.0.1:{free_port}", w, neo4j_target, clients=8, seconds=20, api_pid=api.pid,
                      window=5)
    print(report.summary())
    assert report.errors == 0, "\n".join(report.error_examples) + log.read_text()[-3000:]
    assert report.resolve_error is None and report.resolve_seconds > 0
    kinds = {s.kind for s in report.samples}
    assert kinds == set(MIX), kinds
    assert len(report.samples) >= 200, report.summary()
    assert len(report.p99_by_window()) >= 3 and report.p99_drift > 0
    assert report.rss_start_mb > 20 and report.rss_end_mb > 20
    events = sum(1 for s in report.samples if s.kind == "event")
    stored = database.read("admin/events_by_prefix", prefix=report.run)[0]
    assert stored["stored"] == events and stored["miswired"] == 0, stored
    tagged = database.query("MATCH (ta:TagAssignment {tagCode: $code}) RETURN count(ta) AS n",
                            {"code": SOAK_TAG.code})[0]["n"]
    assert tagged > 0
    # the full run halfway kept the persons the clients were reading
    assert database.query("MATCH (p:Person) RETURN count(p) AS n")[0]["n"] == persons_before
    assert "Traceback" not in log.read_text(), log.read_text()[-3000:]
