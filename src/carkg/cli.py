"""`carkg` on the command line: the local server, schema, demo data, loads, the API and benchmarks."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from carkg.settings import LocalServerSettings, Settings

app = typer.Typer(help="carkg: knowledge graph for automotive CRM", no_args_is_help=True)
neo4j_app = typer.Typer(help="The project's own Neo4j (used when NEO4J_URI is not set)", no_args_is_help=True)
demo_app = typer.Typer(help="Demo data: source exports plus ground truth", no_args_is_help=True)
schema_app = typer.Typer(help="Constraints and indexes", no_args_is_help=True)
bench_app = typer.Typer(help="Benchmarks that print their figures", no_args_is_help=True)
app.add_typer(neo4j_app, name="neo4j")
app.add_typer(demo_app, name="demo")
app.add_typer(schema_app, name="schema")
app.add_typer(bench_app, name="bench")

# Summary tables stay readable when output goes to a log file (rich assumes 80 columns there).
console = Console(width=None if sys.stdout.isatty() else 130)
err = Console(stderr=True)


def _fail(message: str) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}")
    return typer.Exit(code=1)


# -- neo4j ------------------------------------------------------------------------------------------


@neo4j_app.command("install")
def neo4j_install() -> None:
    """Assemble Neo4j + GDS + APOC + Browser from Maven Central into the cache directory."""
    from carkg.localneo4j.install import InstallError, install, versions

    started = time.perf_counter()
    try:
        dist = install(LocalServerSettings().dist)
    except InstallError as exc:
        raise _fail(str(exc)) from exc
    console.print(f"Neo4j distribution ready at {dist.root} ({versions()}) in {time.perf_counter() - started:.1f}s")


@neo4j_app.command("start")
def neo4j_start() -> None:
    """Start the local server and wait until Bolt answers."""
    from carkg.localneo4j import LocalServer, ServerError
    from carkg.localneo4j.install import InstallError

    server = LocalServer()
    try:
        with console.status("Starting Neo4j…"):
            status = server.start()
    except (ServerError, InstallError) as exc:
        raise _fail(str(exc)) from exc
    _print_server(status, server.password)


@neo4j_app.command("stop")
def neo4j_stop() -> None:
    from carkg.localneo4j import LocalServer, ServerError

    try:
        LocalServer().stop()
    except ServerError as exc:
        raise _fail(str(exc)) from exc
    console.print("Neo4j stopped.")


@neo4j_app.command("status")
def neo4j_status() -> None:
    from carkg.localneo4j import LocalServer

    server = LocalServer()
    status = server.status()
    if not status.running:
        console.print("Neo4j is not running (start it with `carkg neo4j start`).")
        raise typer.Exit(code=3)
    _print_server(status, server.password)


def _print_server(status, password: str) -> None:  # type: ignore[no-untyped-def]
    console.print(f"[green]Neo4j running[/] (pid {status.pid})")
    console.print(f"  Bolt:           {status.bolt_uri}")
    console.print(f"  Neo4j Browser:  {status.browser_url}")
    console.print(f"  user / password: neo4j / {password}   (kept in {status.password_file})")


# -- schema / load ----------------------------------------------------------------------------------


@schema_app.command("apply")
def schema_apply() -> None:
    """Create every constraint and index in cypher/schema.cypher (idempotent)."""
    from carkg.graph import connect

    with connect() as db:
        n = db.apply_schema()
    console.print(f"Schema applied: {n} constraints and indexes.")


@app.command("load")
def load(
    source_dir: Annotated[Path, typer.Argument(help="directory holding the export files")],
    source: Annotated[list[str] | None, typer.Option("--source", "-s", help="load only these sources")] = None,
    rejects: Annotated[Path | None, typer.Option(help="where rejected rows go")] = None,
    batch_size: Annotated[int | None, typer.Option(help="rows per transaction")] = None,
) -> None:
    """Validate and load source-system exports (CSV UTF-8/GBK, JSONL)."""
    from carkg.graph import connect
    from carkg.ingest import Loader
    from carkg.secrets import secret_key

    settings = Settings()
    if not source_dir.is_dir():
        raise _fail(f"{source_dir} is not a directory")
    rejects = rejects or settings.state_dir / "rejects" / f"rejects-{time.strftime('%Y%m%d-%H%M%S')}.csv"
    with connect() as db:
        db.apply_schema()
        loader = Loader(db, key=secret_key(settings.secret_key_path), batch_size=batch_size or settings.batch_size)
        try:
            report = loader.load(source_dir, rejects, only=source)
        except (KeyError, ValueError) as exc:
            raise _fail(str(exc)) from exc
    print_load_report(report)


def print_load_report(report) -> None:  # type: ignore[no-untyped-def]
    table = Table(title="Load summary")
    for col in ("source", "read", "loaded", "rejected", "dup ids", "nodes+", "rels+", "seconds"):
        table.add_column(col, justify="left" if col == "source" else "right")
    for s in report.sources:
        if s.missing:
            table.add_row(s.source, "[dim]file missing[/]", "", "", "", "", "", "")
            continue
        table.add_row(
            s.source, str(s.read), str(s.loaded), str(s.rejected), str(s.duplicates),
            str(s.nodes_created), str(s.relationships_created), f"{s.seconds:.1f}",
        )
    totals = ("read", "loaded", "rejected", "duplicates", "nodes_created", "relationships_created")
    table.add_row("[bold]total", *(str(report.total(t)) for t in totals), f"{report.seconds:.1f}")
    console.print(table)
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


@app.command("export-schema")
def export_schema() -> None:
    """Write the GraphQL SDL to graphql/schema.graphql (a test fails when it is stale)."""
    from carkg.api.schema import schema
    from carkg.paths import GRAPHQL_DIR

    path = GRAPHQL_DIR / "schema.graphql"
    path.write_text(schema.as_str() + "\n", encoding="utf-8")
    console.print(f"Wrote {path}")


# -- serve / up -------------------------------------------------------------------------------------


@app.command("serve")
def serve(
    host: Annotated[str | None, typer.Option()] = None,
    port: Annotated[int | None, typer.Option()] = None,
) -> None:
    """Serve the GraphQL API (GraphiQL at /graphql, /health, /ready)."""
    import uvicorn

    settings = Settings()
    uvicorn.run("carkg.api.app:create_app", factory=True, host=host or settings.api_host,
                port=port or settings.api_port, log_level="info")


@app.command("up")
def up(
    customers: Annotated[int | None, typer.Option(help="demo size (persons)")] = None,
    seed: Annotated[int | None, typer.Option()] = None,
    serve_api: Annotated[bool, typer.Option("--serve/--no-serve")] = True,
) -> None:
    """The main job: Neo4j up, demo generated and loaded, GraphQL and Browser serving."""
    from carkg.demo import generate
    from carkg.graph import connect
    from carkg.ingest import Loader
    from carkg.localneo4j import LocalServer, ServerError
    from carkg.secrets import secret_key
    from carkg.settings import Neo4jSettings

    settings = Settings()
    customers = customers or settings.demo_customers
    seed = seed if seed is not None else settings.demo_seed
    if not Neo4jSettings().uri:
        try:
            with console.status("Starting Neo4j (first run assembles it from Maven Central)…"):
                LocalServer().start()
        except ServerError as exc:
            raise _fail(str(exc)) from exc
    demo_dir = settings.state_dir / "demo" / f"n{customers}-s{seed}"
    exports = demo_dir / "exports"
    if not (exports / ".complete").exists():
        console.rule(f"Generating demo data for {customers} customers (seed {seed})")
        generate(exports, customers=customers, seed=seed, progress=True)
        (exports / ".complete").touch()
    with connect() as db:
        db.apply_schema()
        console.rule("Loading demo exports")
        loader = Loader(db, key=secret_key(settings.secret_key_path), batch_size=settings.batch_size)
        report = loader.load(exports, demo_dir / "rejects.csv")
        print_load_report(report)
    _print_where_to_go(settings)
    if serve_api:
        serve(None, None)


def _print_where_to_go(settings: Settings) -> None:
    from carkg.localneo4j import LocalServer
    from carkg.settings import Neo4jSettings

    console.rule("carkg is up")
    console.print(f"  GraphQL (GraphiQL): http://{settings.api_host}:{settings.api_port}/graphql")
    console.print(f"  Health / ready:     http://{settings.api_host}:{settings.api_port}/health  …/ready")
    if Neo4jSettings().uri:
        console.print(f"  Neo4j:              {Neo4jSettings().uri}")
    else:
        server = LocalServer()
        console.print(f"  Neo4j Browser:      {server.browser_url}")
        console.print(f"  Bolt:               {server.bolt_uri}")
        console.print(f"  user / password:    neo4j / {server.password}   ({server.password_file})")


# -- benchmarks -------------------------------------------------------------------------------------


@bench_app.command("load")
def bench_load(
    customers: Annotated[int, typer.Option(help="persons in the generated demo set")] = 100_000,
    seed: Annotated[int, typer.Option()] = 7,
    batch_size: Annotated[int | None, typer.Option()] = None,
) -> None:
    """Generate N customers, load them into an empty graph, print records/s and graph elements/s."""
    from carkg.bench.load import run_load_benchmark

    run_load_benchmark(customers=customers, seed=seed, batch_size=batch_size, console=console)


if __name__ == "__main__":
    app()
