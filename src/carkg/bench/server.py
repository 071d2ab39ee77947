"""The benchmarks' own Neo4j: its own home and ports, so a benchmark never touches the demo graph."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import httpx
from rich.console import Console

from carkg.graph.database import Database, Target
from carkg.localneo4j import LocalServer
from carkg.settings import LocalServerSettings, Settings


def bench_server() -> LocalServer:
    """Ports default to 27687/27474; CARKG_BENCH_BOLT_PORT / CARKG_BENCH_HTTP_PORT move them."""
    return LocalServer(
        LocalServerSettings(
            home=Settings().state_dir / "bench-neo4j",
            bolt_port=int(os.environ.get("CARKG_BENCH_BOLT_PORT", "27687")),
            http_port=int(os.environ.get("CARKG_BENCH_HTTP_PORT", "27474")),
        )
    )


def fault_server() -> LocalServer:
    """A small Neo4j of its own that the fault scenarios stop and start (`carkg bench outage` and the suite):
    ports 17787/17574, moved by CARKG_FAULT_BOLT_PORT / CARKG_FAULT_HTTP_PORT."""
    return LocalServer(
        LocalServerSettings(
            home=Settings().state_dir / "fault-neo4j",
            bolt_port=int(os.environ.get("CARKG_FAULT_BOLT_PORT", "17787")),
            http_port=int(os.environ.get("CARKG_FAULT_HTTP_PORT", "17574")),
            heap="768m", pagecache="256m", tx_memory_max="256m",
        )
    )


def bench_target(server: LocalServer) -> Target:
    return Target(server.bolt_uri, "neo4j", server.password, "neo4j", local=True)


def start_bench_target(console: Console) -> Target:
    """Start the benchmark server (printing the machine first, as every benchmark does) and say where it is."""
    from carkg.bench.machine import describe

    server = bench_server()
    console.print(f"Machine: {describe()}")
    with console.status("Starting the benchmark's own Neo4j…"):
        server.start()
    return bench_target(server)


@contextmanager
def server_process(command: list[str], target: Target, log_path: Path, env: dict[str, str] | None = None,
                   cwd: Path | None = None) -> Iterator[subprocess.Popen[bytes]]:
    """A server process on `target` (NEO4J_* in its environment, `env` on top), its output in `log_path`,
    stopped on the way out."""
    env = {**os.environ, "NEO4J_URI": target.uri, "NEO4J_USER": target.user, "NEO4J_PASSWORD": target.password,
           "NEO4J_DATABASE": target.database, **(env or {})}
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w") as log:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            yield process
        finally:
            process.terminate()
            process.wait(timeout=30)


def api_process(target: Target, port: int, workers: int, log_path: Path, env: dict[str, str] | None = None,
                app: str = "carkg.api.app:create_app") -> AbstractContextManager[subprocess.Popen[bytes]]:
    """The API (or another ASGI `app` factory) as its own uvicorn process on `target`, as in production."""
    return server_process(
        [sys.executable, "-m", "uvicorn", app, "--factory", "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(workers), "--log-level", "warning", "--no-access-log", "--timeout-keep-alive", "30"],
        target, log_path, env)


def wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float = 60,
               probe: Callable[[str], httpx.Response] = lambda url: httpx.get(url, timeout=2)) -> None:
    """Until `probe(url)` answers 200 (a GET by default); fails early when the server process exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server process exited with {process.returncode}; see its log")
        try:
            if probe(url).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the server did not become ready within {timeout:g}s")


@contextmanager
def bench_database(console: Console) -> Iterator[Database]:
    """The benchmark server started, a session on it, and the server stopped on the way out; its graph is
    the caller's to wipe (evaluations and FEBRL do)."""
    server = bench_server()
    console.print(f"On the benchmark server ({server.bolt_uri}); its graph is wiped.")
    with console.status("Starting the benchmark's own Neo4j…"):
        server.start()
    try:
        with Database(bench_target(server)) as db:
            yield db
    finally:
        server.stop()
