"""`carkg neo4j …`: the project's own server, used when NEO4J_URI is not set."""

from __future__ import annotations

import time

import typer

from carkg.cli._console import console, fail
from carkg.localneo4j.server import ServerStatus
from carkg.settings import LocalServerSettings

app = typer.Typer(help="The project's own Neo4j (used when NEO4J_URI is not set)", no_args_is_help=True)


# -- neo4j ------------------------------------------------------------------------------------------


@app.command("install")
def neo4j_install() -> None:
    """Assemble Neo4j + GDS + APOC + Browser from Maven Central into the cache directory."""
    from carkg.localneo4j.install import InstallError, install, versions

    started = time.perf_counter()
    try:
        dist = install(LocalServerSettings().dist)
    except InstallError as exc:
        raise fail(str(exc)) from exc
    console.print(f"Neo4j distribution ready at {dist.root} ({versions()}) in {time.perf_counter() - started:.1f}s")


@app.command("start")
def neo4j_start() -> None:
    """Start the local server and wait until Bolt answers."""
    from carkg.localneo4j import LocalServer, ServerError
    from carkg.localneo4j.install import InstallError

    server = LocalServer()
    try:
        with console.status("Starting Neo4j…"):
            status = server.start()
    except (ServerError, InstallError) as exc:
        raise fail(str(exc)) from exc
    print_server(status, server.password)


@app.command("stop")
def neo4j_stop() -> None:
    from carkg.localneo4j import LocalServer, ServerError

    try:
        LocalServer().stop()
    except ServerError as exc:
        raise fail(str(exc)) from exc
    console.print("Neo4j stopped.")


@app.command("status")
def neo4j_status() -> None:
    from carkg.localneo4j import LocalServer

    server = LocalServer()
    status = server.status()
    if not status.running:
        console.print("Neo4j is not running (start it with `carkg neo4j start`).")
        raise typer.Exit(code=3)
    print_server(status, server.password)


def print_server(status: ServerStatus, password: str) -> None:
    console.print(f"[green]Neo4j running[/] (pid {status.pid})")
    console.print(f"  Bolt:           {status.bolt_uri}")
    console.print(f"  Neo4j Browser:  {status.browser_url}")
    console.print(f"  user / password: neo4j / {password}   (kept in {status.password_file})")
