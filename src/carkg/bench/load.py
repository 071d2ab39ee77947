"""`carkg bench load`: the N-customer demo set into an empty graph on a dedicated local server."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from rich.console import Console

from carkg.bench.machine import describe
from carkg.bench.server import bench_server, bench_target
from carkg.graph import Database
from carkg.settings import Settings


def run_load_benchmark(*, customers: int, seed: int, batch_size: int | None, console: Console) -> dict[str, float]:
    from carkg.demo import generate
    from carkg.ingest import Loader
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
            with Database(bench_target(server)) as db:
                db.wipe()
                db.apply_schema()
                loader = Loader(db, key=secret_key(settings.secret_key_path),
                                batch_size=batch_size or settings.batch_size)
                started = time.perf_counter()
                report = loader.load(exports, Path(tmp) / "rejects.csv")
                seconds = time.perf_counter() - started
        finally:
            server.stop()
    from carkg.cli.data import print_load_report

    print_load_report(report)
    records = report.total("read")
    elements = report.total("nodes_created") + report.total("relationships_created")
    figures = {
        "customers": customers,
        "source_rows": records,
        "rejected": report.total("rejected"),
        "seconds": round(seconds, 1),
        "rows_per_s": round(records / seconds),
        "graph_elements": elements,
        "elements_per_s": round(elements / seconds),
    }
    console.print(
        f"[bold]bench load[/] customers={customers} rows={records} in {seconds:.1f}s → "
        f"{figures['rows_per_s']} source rows/s, {figures['elements_per_s']} graph elements/s "
        f"({elements} nodes+relationships)"
    )
    return figures
