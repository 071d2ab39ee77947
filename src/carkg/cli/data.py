"""`carkg schema|load|demo|export-schema`: getting data and its shape into the graph."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from carkg.cli._console import console, fail
from carkg.ingest.bulk import BulkReport
from carkg.ingest.pipeline import LoadReport
from carkg.settings import Settings

schema_app = typer.Typer(help="Constraints and indexes", no_args_is_help=True)
demo_app = typer.Typer(help="Demo data: source exports plus ground truth", no_args_is_help=True)


# -- schema / load ----------------------------------------------------------------------------------


@schema_app.command("apply")
def schema_apply() -> None:
    """Create every constraint and index in cypher/schema.cypher (idempotent)."""
    from carkg.graph import connect

    with connect() as db:
        n = db.apply_schema()
    console.print(f"Schema applied: {n} constraints and indexes.")


def load(
    source_dir: Annotated[Path, typer.Argument(help="directory holding the export files")],
    source: Annotated[list[str] | None, typer.Option("--source", "-s", help="load only these sources")] = None,
    rejects: Annotated[Path | None, typer.Option(help="where rejected rows go")] = None,
    batch_size: Annotated[int | None, typer.Option(help="rows per transaction")] = None,
    bulk: Annotated[bool, typer.Option(
        "--bulk", help="initial load of an EMPTY graph through neo4j-admin import (local server only)")] = False,
    replace_empty_only: Annotated[bool, typer.Option(
        "--replace-empty-only", help="with --bulk: confirm the import may replace the database's store, "
        "which it only does after checking the graph has no node")] = False,
) -> None:
    """Validate and load source-system exports (CSV UTF-8/GBK, JSONL)."""
    from carkg.secrets import secret_key

    settings = Settings()
    if not source_dir.is_dir():
        raise fail(f"{source_dir} is not a directory")
    rejects = rejects or settings.state_dir / "rejects" / f"rejects-{time.strftime('%Y%m%d-%H%M%S')}.csv"
    key = secret_key(settings.secret_key_path)
    if bulk:
        report = _bulk_load(source_dir, rejects, key, source, replace_empty_only)
    else:
        from carkg.graph import connect
        from carkg.ingest import Loader

        with connect() as db:
            db.apply_schema()
            loader = Loader(db, key=key, batch_size=batch_size or settings.batch_size)
            try:
                report = loader.load(source_dir, rejects, only=source)
            except (KeyError, ValueError) as exc:
                raise fail(str(exc)) from exc
    print_load_report(report)


def _bulk_load(
    source_dir: Path, rejects: Path, key: bytes, only: list[str] | None, replace_empty_only: bool
) -> BulkReport:
    from carkg.ingest.bulk import BulkLoadRefused, bulk_load
    from carkg.localneo4j import LocalServer, ServerError
    from carkg.settings import Neo4jSettings

    if Neo4jSettings().uri:
        raise fail(
            "--bulk writes the store files of carkg's own local server; NEO4J_URI points at another server. "
            "Use neo4j-admin on that server, or load without --bulk"
        )
    try:
        return bulk_load(LocalServer(), source_dir, rejects, key=key, replace_empty_only=replace_empty_only,
                         only=only)
    except (BulkLoadRefused, ServerError, KeyError, ValueError) as exc:
        raise fail(str(exc)) from exc


def print_load_report(report: LoadReport) -> None:
    table = Table(title="Load summary")
    for col in ("source", "read", "loaded", "rejected", "dup ids", "nodes+", "rels+", "seconds"):
        table.add_column(col, justify="left" if col == "source" else "right")
    for s in report.sources:
        if s.missing:
            table.add_row(s.source, "[dim]file missing[/]", "", "", "", "", "", "")
            continue
        table.add_row(
            s.source,
            str(s.read),
            str(s.loaded),
            str(s.rejected),
            str(s.duplicates),
            str(s.nodes_created),
            str(s.relationships_created),
            f"{s.seconds:.1f}",
        )
    totals = ("read", "loaded", "rejected", "duplicates", "nodes_created", "relationships_created")
    table.add_row("[bold]total", *(str(report.total(t)) for t in totals), f"{report.seconds:.1f}")
    console.print(table)
    if isinstance(report, BulkReport):
        phases = ", ".join(f"{name} {seconds:.1f}s" for name, seconds in report.phases.items())
        console.print(f"Bulk import: {report.nodes} nodes, {report.relationships} relationships; {phases}; "
                      f"total {report.seconds:.1f}s")
    if report.total("rejected"):
        console.print(f"Rejected rows (line, column, field, reason): {report.rejects_path}")


# -- demo -------------------------------------------------------------------------------------------


@demo_app.command("generate")
def demo_generate(
    customers: Annotated[int, typer.Option(help="number of real persons")] = 20_000,
    seed: Annotated[int, typer.Option(help="random seed (same seed, same files)")] = 42,
    out: Annotated[Path | None, typer.Option(help="directory for the export files")] = None,
) -> None:
    """Write the source-system export files (and the ground truth, kept apart)."""
    from carkg.demo import generate

    out = out or Settings().state_dir / "demo" / f"n{customers}-s{seed}" / "exports"
    started = time.perf_counter()
    result = generate(out, customers=customers, seed=seed, progress=True)
    seconds = time.perf_counter() - started
    console.print(f"Wrote {sum(result.counts.values())} rows to {result.out_dir} in {seconds:.1f}s")
    console.print(f"Ground truth: {result.truth_path}")
    console.print(json.dumps(result.counts, indent=2))


def export_schema() -> None:
    """Write the GraphQL SDL to graphql/schema.graphql (a test fails when it is stale)."""
    from carkg.api.schema import schema
    from carkg.paths import GRAPHQL_DIR

    path = GRAPHQL_DIR / "schema.graphql"
    path.write_text(schema.as_str() + "\n", encoding="utf-8")
    console.print(f"Wrote {path}")
