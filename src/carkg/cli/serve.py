"""`carkg serve|up`: the API, and the main job that brings the whole service up on demo data."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer

from carkg.cli._console import console, fail
from carkg.cli.data import print_load_report
from carkg.settings import Settings

if TYPE_CHECKING:
    from carkg.graph import Database

# -- serve / up -------------------------------------------------------------------------------------


def serve(
    host: Annotated[str | None, typer.Option()] = None,
    port: Annotated[int | None, typer.Option()] = None,
    workers: Annotated[str, typer.Option(help="uvicorn worker processes, or 'auto' (one per CPU). Live advisor "
                                         "alerts need one worker: their broker is in-process (carkg.tags.alerts)")]
    = "1",
) -> None:
    """Serve the GraphQL API (GraphiQL at /graphql, /health, /ready)."""
    import uvicorn

    settings = Settings()
    uvicorn.run(
        "carkg.api.app:create_app",
        factory=True,
        host=host or settings.api_host,
        port=port or settings.api_port,
        workers=resolve_workers(workers),
        log_level="info",
    )


def resolve_workers(workers: str) -> int:
    """'auto' is one worker per CPU; a number is taken as given (at least 1)."""
    if workers == "auto":
        return os.cpu_count() or 1
    if not workers.isdigit() or int(workers) < 1:
        raise fail(f"--workers: a number of at least 1, or 'auto', not {workers!r}")
    return int(workers)


def up(
    customers: Annotated[int | None, typer.Option(help="demo size (persons)")] = None,
    seed: Annotated[int | None, typer.Option()] = None,
    serve_api: Annotated[bool, typer.Option("--serve/--no-serve")] = True,
) -> None:
    """The main job: Neo4j up, demo generated and loaded, GraphQL and Browser serving."""
    from carkg.advisors import derive as derive_advisors
    from carkg.auth.tokens import ensure_demo_tokens
    from carkg.cli.advisors import print_report as print_advisor_report
    from carkg.cli.identity import print_report as print_resolve_report
    from carkg.cli.tags import apply_rules
    from carkg.demo import generate
    from carkg.graph import connect
    from carkg.identity import resolve
    from carkg.ingest import Loader
    from carkg.localneo4j import LocalServer, ServerError
    from carkg.secrets import secret_key
    from carkg.segments.builtins import install as install_segments
    from carkg.settings import Neo4jSettings
    from carkg.tags import load_library

    settings = Settings()
    customers = customers or settings.demo_customers
    seed = seed if seed is not None else settings.demo_seed
    if not Neo4jSettings().uri:
        try:
            with console.status("Starting Neo4j (first run assembles it from Maven Central)…"):
                LocalServer().start()
        except ServerError as exc:
            raise fail(str(exc)) from exc
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
        console.print(f"Tag library: {len(load_library(db))} tags.")
        apply_rules(db)
        console.rule("Resolving identities (One ID)")
        print_resolve_report(resolve(db, incremental=_already_resolved(db)))
        print_advisor_report(derive_advisors(db, datetime.now(UTC)))
        console.print(f"Built-in segments: {len(install_segments(db))} saved (quadrants and personas).")
        tokens = ensure_demo_tokens(db, settings.state_dir / "demo-tokens.json")
    _print_where_to_go(settings, tokens)
    if serve_api:
        serve(None, None)


def _already_resolved(db: Database) -> bool:
    """A second `make run` only resolves what is new (the demo is already loaded and resolved)."""
    return bool(db.read("identity/count_persons")[0]["persons"])


def _print_where_to_go(settings: Settings, tokens: dict[str, str]) -> None:
    from carkg.localneo4j import LocalServer
    from carkg.settings import Neo4jSettings

    console.rule("carkg is up")
    api = f"http://{settings.api_host}:{settings.api_port}"
    console.print(f"  GraphQL (GraphiQL): {api}/graphql")
    console.print(f"  Steward review:     {api}/steward   (sign in with the steward token below)")
    console.print(f"  Health / ready:     {api}/health  …/ready")
    if Neo4jSettings().uri:
        console.print(f"  Neo4j:              {Neo4jSettings().uri}")
    else:
        server = LocalServer()
        console.print(f"  Neo4j Browser:      {server.browser_url}")
        console.print(f"  Browser guide:      :play {api}/guide   (type it in Browser's command line)")
        console.print(f"  Bolt:               {server.bolt_uri}")
        console.print(f"  user / password:    neo4j / {server.password}   ({server.password_file})")
    console.print(f"  API tokens (GraphiQL → Headers: {{\"Authorization\": \"Bearer <token>\"}}), "
                  f"kept in {settings.state_dir / 'demo-tokens.json'}:")
    for role, token in tokens.items():
        console.print(f"    {role:<8} {token}")
