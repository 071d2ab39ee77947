"""`carkg bench load`: the N-customer demo set into an empty graph on a dedicated local server."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from rich.console import Console

from carkg.bench.machine import describe
from carkg.bench.server import bench_server, bench_target
from carkg.graph import Database
from carkg.settings import Settings


def run_load_benchmark(
    *, customers: int, seed: int, batch_size: int | None, console: Console, bulk: bool = False
) -> dict[str, float | str]:
    from carkg.demo import generate
    from carkg.ingest import Loader
    from carkg.ingest.bulk import BulkReport, bulk_load
    from carkg.secrets import secret_key

    settings = Settings()
    server = bench_server()
    console.print(f"Machine: {describe()}")
    with tempfile.TemporaryDirectory(prefix="carkg-bench-") as tmp:
        exports = Path(tmp) / "exports"
        started = time.perf_counter()
        generate(exports, customers=customers, seed=seed, progress=True)
        console.print(f"Generated {customers} customers in {time.perf_counter() - started:.1f}s")
        with console.status("Starting the benchmark's own Neo4j…"):
            server.start()
        try:
            key = secret_key(settings.secret_key_path)
            with Database(bench_target(server)) as db:
                db.wipe()
                db.apply_schema()
                if not bulk:
                    loader = Loader(db, key=key, batch_size=batch_size or settings.batch_size)
                    started = time.perf_counter()
                    report = loader.load(exports, Path(tmp) / "rejects.csv")
                    seconds = time.perf_counter() - started
            if bulk:
                # From the exports to a started server with the schema online (the benchmark's own server).
                load_before, cpu_before = os.getloadavg()[0], _cpu_seconds()
                started = time.perf_counter()
                report = bulk_load(server, exports, Path(tmp) / "rejects.csv", key=key, replace_empty_only=True,
                                   work_dir=Path(tmp))
                seconds = time.perf_counter() - started
                cpu = _cpu_seconds() - cpu_before + _process_cpu_seconds(server.status().pid)
                console.print(
                    f"CPU used: {cpu:.0f} s (Python, its workers, neo4j-admin, the restarted server) in "
                    f"{seconds:.0f} s on {os.cpu_count()} cores; 1-min load average {load_before:.1f} before, "
                    f"{os.getloadavg()[0]:.1f} after (other work shares the CPU when it is above ~2)"
                )
                with Database(bench_target(server)) as db:
                    nodes = db.read("admin/count_nodes")[0]["nodes"]
                    rels = db.read("admin/count_relationships")[0]["relationships"]
                console.print(f"Graph after the import: {nodes} nodes, {rels} relationships")
        finally:
            server.stop()
    from carkg.cli.data import print_load_report

    print_load_report(report)
    records = report.total("read")
    elements = report.total("nodes_created") + report.total("relationships_created")
    figures: dict[str, float | str] = {
        "mode": "bulk" if bulk else "transactional",
        "customers": customers,
        "source_rows": records,
        "rejected": report.total("rejected"),
        "seconds": round(seconds, 1),
        "rows_per_s": round(records / seconds),
        "graph_elements": elements,
        "elements_per_s": round(elements / seconds),
    }
    if isinstance(report, BulkReport):
        figures.update({f"{name}_s": round(value, 1) for name, value in report.phases.items()})
    console.print(
        f"[bold]bench load{' --bulk' if bulk else ''}[/] customers={customers} rows={records} in {seconds:.1f}s → "
        f"{figures['rows_per_s']} source rows/s, {figures['elements_per_s']} graph elements/s "
        f"({elements} nodes+relationships)"
    )
    return figures


def _cpu_seconds() -> float:
    """CPU time of this process and of the children it has waited for (workers, neo4j-admin)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _process_cpu_seconds(pid: int | None) -> float:
    """CPU time of a process that is not our child (the daemonised server), from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
