"""`carkg bench api --peers`: carkg's GraphQL endpoint, a bare Starlette + driver endpoint and `@neo4j/graphql`,
one after another on the same graph, the same Neo4j, the same worker count and the same load (autocannon, from
`node/load.mjs`), for the customer-360 query and a tag-filtered list. Prints req/s, p50/p99 and failed answers
for each, and carkg's ratio to each peer.

The Node side (the peer and the load generator) is installed by the benchmark into `.carkg/bench/peers-node`
from `node/package.json` and its lock file: a benchmark tool, never a dependency of the project.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import orjson
from rich.console import Console
from rich.table import Table

from carkg.bench.profile import print_profile, sampled
from carkg.bench.server import api_process, server_process, wait_ready
from carkg.graph.database import Target
from carkg.paths import GRAPHQL_DIR
from carkg.settings import Settings

NODE_SOURCE = Path(__file__).parent / "node"
PEERS = ("carkg", "bare_driver", "neo4j_graphql")


@dataclass(frozen=True)
class Query:
    """One question asked of every peer: per peer the URL path, the document and the root field of the answer."""

    name: str
    variable: str
    documents: dict[str, str]
    paths: dict[str, str]
    roots: dict[str, str]


def queries() -> list[Query]:
    node = NODE_SOURCE
    return [
        Query("customer360", "oneId",
              {"carkg": (GRAPHQL_DIR / "customer_360.graphql").read_text("utf-8"), "bare_driver": "",
               "neo4j_graphql": (node / "customer_360.graphql").read_text("utf-8")},
              {"carkg": "/graphql", "bare_driver": "/customer360", "neo4j_graphql": "/"},
              {"carkg": "customer", "bare_driver": "customer", "neo4j_graphql": "people"}),
        Query("tagged", "code",
              {"carkg": (GRAPHQL_DIR / "tagged_entities.graphql").read_text("utf-8"), "bare_driver": "",
               "neo4j_graphql": (node / "tagged_entities.graphql").read_text("utf-8")},
              {"carkg": "/graphql", "bare_driver": "/tagged", "neo4j_graphql": "/"},
              {"carkg": "taggedEntities", "bare_driver": "taggedEntities", "neo4j_graphql": "tagAssignments"}),
    ]


@dataclass(frozen=True)
class Result:
    peer: str
    query: str
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    failed: int  # non-2xx, socket errors and timeouts, and 200s with GraphQL errors or no answer

    @classmethod
    def from_load(cls, peer: str, query: str, out: dict[str, Any]) -> Result:
        return cls(peer, query, int(out["requests"]), float(out["rps"]), float(out["p50_ms"]), float(out["p99_ms"]),
                   int(out["non2xx"]) + int(out["errors"]) + int(out["bad"]))


def node_tools(console: Console) -> Path:
    """The peer and load generator installed from `node/` (again only when its package files changed)."""
    home = Settings().state_dir / "bench" / "peers-node"
    lock = NODE_SOURCE / "package-lock.json"
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in (NODE_SOURCE / "package.json", lock)
                                     if p.exists())).hexdigest()
    home.mkdir(parents=True, exist_ok=True)
    for source in NODE_SOURCE.iterdir():
        if source.is_file():
            shutil.copy2(source, home / source.name)
    stamp = home / ".installed"
    if not stamp.exists() or stamp.read_text() != digest:
        with console.status("Installing @neo4j/graphql and autocannon into the benchmark's cache (npm)…"):
            subprocess.run(["npm", "ci" if lock.exists() else "install", "--no-audit", "--no-fund",
                            "--loglevel=error"], cwd=home, check=True)
        stamp.write_text(digest)
    return home


def node_peer(home: Path, target: Target, port: int, workers: int,
              log_path: Path) -> AbstractContextManager[subprocess.Popen[bytes]]:
    return server_process(["node", "server.mjs"], target, log_path, {"PORT": str(port), "WORKERS": str(workers)},
                          cwd=home)


def wait_graphql(url: str, process: subprocess.Popen[bytes], timeout: float = 90) -> None:
    """Until the GraphQL server at `url` answers a query (the Node peer has no readiness route)."""
    wait_ready(url, process, timeout, probe=lambda u: httpx.post(u, json={"query": "{ __typename }"}, timeout=2))


def load(home: Path, *, url: str, token: str, query: Query, peer: str, values: list[str], connections: int,
         seconds: float, warmup: float) -> dict[str, Any]:
    document = query.documents[peer]
    bodies = [orjson.dumps({"query": document, "variables": {query.variable: v}}).decode() for v in values]
    job = {"url": url, "headers": {"authorization": f"Bearer {token}"}, "bodies": bodies, "root": query.roots[peer],
           "connections": connections, "seconds": seconds, "warmup": warmup}
    done = subprocess.run(["node", "load.mjs"], cwd=home, input=orjson.dumps(job), capture_output=True, check=True,
                          timeout=seconds + warmup + 120)
    return orjson.loads(done.stdout.splitlines()[-1])


def check_answers(url: str, token: str, query: Query, peer: str, value: str) -> None:
    """Before timing: the peer answers this question with data, not errors (a peer that errs fast is not fast)."""
    body = {"query": query.documents[peer], "variables": {query.variable: value}}
    answer = httpx.post(url, json=body, headers={"Authorization": f"Bearer {token}"}, timeout=30).json()
    data = (answer.get("data") or {}).get(query.roots[peer])
    if answer.get("errors") or not data:
        raise RuntimeError(f"{peer} does not answer {query.name}: {str(answer)[:500]}")


def run_peers(target: Target, *, token: str, one_ids: list[str], codes: list[str], clients: int, seconds: float,
              warmup: float, workers: int, port: int, console: Console, profile: bool = False) -> list[Result]:
    home = node_tools(console)
    logs = Settings().state_dir / "bench"
    servers: dict[str, Any] = {
        "carkg": lambda: api_process(target, port, workers, logs / "peers-carkg.log"),
        "bare_driver": lambda: api_process(target, port, workers, logs / "peers-bare.log",
                                           app="carkg.bench.peers.bare:create_app"),
        "neo4j_graphql": lambda: node_peer(home, target, port, workers, logs / "peers-neo4j-graphql.log"),
    }
    values = {"customer360": one_ids, "tagged": codes}
    results = []
    for peer in PEERS:
        server: AbstractContextManager[subprocess.Popen[bytes]] = servers[peer]()
        with server as process:
            base = f"http://127.0.0.1:{port}"
            if peer == "neo4j_graphql":
                wait_graphql(f"{base}/", process)
            else:
                wait_ready(f"{base}/ready", process)
            for query in queries():
                url = base + query.paths[peer]
                check_answers(url, token, query, peer, values[query.name][0])
                console.print(f"  {peer}: {query.name}, {clients} connections, {seconds:g}s after {warmup:g}s warm-up")
                samples = logs / f"peers-{peer}-{query.name}.pyspy.txt"
                watch = profile and peer != "neo4j_graphql"
                with sampled(process.pid, warmup + seconds, samples) if watch else nullcontext():
                    out = load(home, url=url, token=token, query=query, peer=peer, values=values[query.name],
                               connections=clients, seconds=seconds, warmup=warmup)
                if watch:
                    print_profile(console, f"{peer}, {query.name}", samples)
                results.append(Result.from_load(peer, query.name, out))
    return results


def print_results(console: Console, results: list[Result]) -> None:
    table = Table(title="carkg and its peers, same graph, same load (autocannon, closed loop)")
    for column in ("query", "peer", "req/s", "p50 ms", "p99 ms", "failed", "carkg ÷ peer (req/s)"):
        table.add_column(column, justify="right" if column not in ("query", "peer") else "left")
    by = {(r.peer, r.query): r for r in results}
    for r in results:
        mine = by.get(("carkg", r.query))
        ratio = "" if r.peer == "carkg" or mine is None or not r.rps else f"{mine.rps / r.rps:.2f}"
        table.add_row(r.query, r.peer, f"{r.rps:.0f}", f"{r.p50_ms:.0f}", f"{r.p99_ms:.0f}", str(r.failed), ratio)
    console.print(table)


__all__ = ["PEERS", "Result", "print_results", "run_peers"]
