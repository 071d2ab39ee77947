"""Schema-driven fuzzing of the GraphQL API: schemathesis reads the schema the API serves (graphql/schema.graphql,
which a test keeps equal to the live one) and draws documents for every query and mutation — arguments at
the edges included (empty strings, zero, huge numbers, odd unicode) — and each is sent once per token role.

An answer fails when it is a 5xx, quotes a stack trace or a driver/Cypher message, carries an error without
`extensions.code`, or an `INTERNAL` error (an exception nobody meant: a bug, even when wrapped). The suite
runs a few documents per operation (`tests/test_reliability_fuzz.py`; CARKG_FUZZ_EXAMPLES sends more).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import orjson
from hypothesis import HealthCheck, Phase, given, settings
from rich.console import Console

import graphql
from carkg.auth import Role
from carkg.auth.tokens import create_token
from carkg.graph import Database
from carkg.paths import GRAPHQL_DIR

SEGMENT_KINDS = ["tag", "attribute", "event", "distinctChannels", "lead", "vehicle", "interest", "repeatBrand",
                 "household", "segment", "and", "or", "not"]
LEAKS = re.compile(r"Traceback|File \"|neo4j\.exceptions|Neo\.(Client|Transient|Database)Error|"
                   r"CypherSyntaxError|\bMATCH \(|site-packages")


@dataclass
class FuzzReport:
    cases: int = 0
    by_role: Counter[str] = field(default_factory=Counter)
    by_status: Counter[int] = field(default_factory=Counter)
    by_code: Counter[str] = field(default_factory=Counter)  # extensions.code of the errors answered
    server_errors: int = 0  # 5xx answers (503 UNAVAILABLE included: the database was up throughout)
    internal: int = 0  # answers carrying an INTERNAL error
    leaks: int = 0  # answers quoting a stack trace, a driver or Cypher message
    uncoded: int = 0  # errors without extensions.code
    failures: list[str] = field(default_factory=list)  # the first few, each with role, operation and document
    logged_errors: int = 0  # lines of the API's own log with ERROR or a stack trace (the benchmark counts them)

    @property
    def failed(self) -> int:
        return self.server_errors + self.internal + self.leaks + self.uncoded

    def summary(self) -> str:
        roles = ", ".join(f"{role} {n}" for role, n in sorted(self.by_role.items()))
        codes = ", ".join(f"{code} {n}" for code, n in self.by_code.most_common())
        return (f"{self.cases} cases ({roles}); 5xx {self.server_errors}, INTERNAL {self.internal}, leaked "
                f"internals {self.leaks}, errors without a code {self.uncoded}; error codes answered: {codes}")


def _value_node(value: Any) -> graphql.ValueNode:
    """A JSON value as a GraphQL literal (the AST schemathesis puts into documents)."""
    if value is None:
        return graphql.NullValueNode()
    if isinstance(value, bool):
        return graphql.BooleanValueNode(value=value)
    if isinstance(value, int):
        return graphql.IntValueNode(value=str(value))
    if isinstance(value, float):
        return graphql.FloatValueNode(value=repr(value))
    if isinstance(value, str):
        return graphql.StringValueNode(value=value)
    if isinstance(value, list):
        return graphql.ListValueNode(values=tuple(_value_node(v) for v in value))
    return graphql.ObjectValueNode(fields=tuple(
        graphql.ObjectFieldNode(name=graphql.NameNode(value=k), value=_value_node(v)) for k, v in value.items()))


def _register_scalars() -> None:
    """Strategies for carkg's own scalars: dates and times (well-formed and not), and JSON that is mostly
    segment-definition shaped (so the segment compiler is reached), sometimes anything."""
    import schemathesis
    from hypothesis import strategies as st

    text = st.text(max_size=30)
    stamps = st.datetimes().map(lambda d: d.isoformat()) | text
    scalars = st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.floats(allow_nan=False) | text
    anything = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                            | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=12)
    condition = st.recursive(
        st.fixed_dictionaries({"kind": st.sampled_from(SEGMENT_KINDS)},
                              optional={"code": text, "types": st.lists(text, max_size=3),
                                        "minCount": st.integers(-5, 10**6), "field": text, "value": scalars,
                                        "window": st.fixed_dictionaries({"lastDays": st.integers(-5, 10**6)})}),
        lambda inner: st.fixed_dictionaries({"kind": st.sampled_from(["and", "or", "not"])},
                                            optional={"conditions": st.lists(inner, max_size=4), "condition": inner}),
        max_leaves=8)
    schemathesis.graphql.scalar("JSON", (condition | anything).map(_value_node))
    schemathesis.graphql.scalar("DateTime", stamps.map(_value_node))
    schemathesis.graphql.scalar("Date", (st.dates().map(lambda d: d.isoformat()) | text).map(_value_node))


def _check(report: FuzzReport, role: str, label: str, query: str, resp: httpx.Response) -> None:
    report.cases += 1
    report.by_role[role] += 1
    report.by_status[resp.status_code] += 1
    problems = []
    if resp.status_code >= 500:
        report.server_errors += 1
        problems.append(f"HTTP {resp.status_code}")
    if LEAKS.search(resp.text):
        report.leaks += 1
        problems.append("leaks internals")
    try:
        body: dict[str, Any] = orjson.loads(resp.content)
    except orjson.JSONDecodeError:
        body = {}
        problems.append("not JSON")
    errors = body.get("errors") or []
    codes = [(e.get("extensions") or {}).get("code") for e in errors if isinstance(e, dict)]
    report.by_code.update(c or "(none)" for c in codes)
    if any(c is None for c in codes):
        report.uncoded += 1
        problems.append("an error without a code")
    if "INTERNAL" in codes:
        report.internal += 1
        problems.append("INTERNAL")
    if problems and len(report.failures) < 20:
        report.failures.append(f"[{role}] {label}: {', '.join(problems)}: {resp.text[:300]}\n{query}")


def _fuzz_operation(operation: Any, http: httpx.Client, path: str, tokens: dict[str, str], report: FuzzReport, *,
                    examples: int, seed: int) -> None:
    from hypothesis import seed as hypothesis_seed

    @hypothesis_seed(seed)
    @given(operation.as_strategy())
    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck),
              phases=[Phase.explicit, Phase.generate])
    def send(case: Any) -> None:
        query = case.body if isinstance(case.body, str) else str(case.body)
        for role, token in tokens.items():
            resp = http.post(path, json={"query": query}, headers={"Authorization": f"Bearer {token}"})
            _check(report, role, operation.label, query, resp)

    send()


def fuzz(http: httpx.Client, path: str, tokens: dict[str, str], *, examples: int, seed: int = 0,
         console: Console | None = None) -> FuzzReport:
    """`examples` documents per operation, each posted to `path` on `http` (an httpx client, or Starlette's
    TestClient) with every token in `tokens` (role → token)."""
    import schemathesis

    _register_scalars()
    schema = schemathesis.graphql.from_path(GRAPHQL_DIR / "schema.graphql")
    operations = [result.ok() for result in schema.get_all_operations()]
    report = FuzzReport()
    for n, operation in enumerate(operations, 1):
        if console:
            console.print(f"  [{n}/{len(operations)}] {operation.label}")
        _fuzz_operation(operation, http, path, tokens, report, examples=examples, seed=seed)
    return report


def role_tokens(db: Database, prefix: str) -> dict[str, str]:
    """One token per role the API knows, dealer-bound ones for the dealer of the busiest advisor."""
    found = db.read("auth/busiest_advisor")
    if not found or not found[0]["customers"]:
        raise RuntimeError("the graph has no advisor serving a customer: load the demo first")
    advisor, dealer = found[0]["advisorId"], found[0]["dealerId"]
    return {
        "admin": create_token(db, f"{prefix}-admin", Role.ADMIN),
        "analyst": create_token(db, f"{prefix}-analyst", Role.ANALYST),
        "steward": create_token(db, f"{prefix}-steward", Role.STEWARD),
        "oem_app": create_token(db, f"{prefix}-oem-app", Role.APP),
        "dealer_app": create_token(db, f"{prefix}-dealer-app", Role.APP, dealer_id=dealer),
        "advisor": create_token(db, f"{prefix}-advisor", Role.ADVISOR, advisor_id=advisor, dealer_id=dealer),
    }


def logged_errors(log: Path) -> list[str]:
    """Lines of an API log that report an error: structured lines at level error or worse, and any other line
    (uvicorn's, a library's) naming an error or quoting a stack trace."""
    found = []
    for line in log.read_text(encoding="utf-8").splitlines():
        try:
            entry = orjson.loads(line)
        except orjson.JSONDecodeError:
            entry = None
        if isinstance(entry, dict):
            if str(entry.get("level", "")).lower() in {"error", "critical", "exception"}:
                found.append(line)
        elif "ERROR" in line or "Traceback" in line:
            found.append(line)
    return found


def run_fuzz_benchmark(*, examples: int, seed: int, port: int, console: Console, keep: bool) -> FuzzReport:
    """`fuzz` against the API as its own uvicorn process, on a small resolved and tagged demo in a Neo4j of its
    own (the fuzzed mutations change what they reach, so never the demo or benchmark graph); the API's log
    must hold no error or stack trace afterwards."""
    import time

    from carkg.bench.demo import prepare_demo_graph
    from carkg.bench.machine import describe
    from carkg.bench.record import record
    from carkg.bench.server import api_process, bench_target, fault_server, wait_ready
    from carkg.settings import Settings

    console.print(f"Machine: {describe()}")
    server = fault_server()
    with console.status("Starting the fuzzing's own Neo4j…"):
        server.start()
    target = bench_target(server)
    with Database(target) as db:
        db.wipe()
        db.apply_schema()
        prepare_demo_graph(db, customers=150, seed=23, console=console)
        tokens = role_tokens(db, f"fuzz-{time.time_ns()}")
    log = Settings().state_dir / "bench" / "fuzz-api.log"
    try:
        with api_process(target, port, 1, log) as api:
            base = f"http://127.0.0.1:{port}"
            wait_ready(f"{base}/ready", api)
            console.print(f"{examples} documents per operation, each with {len(tokens)} tokens ({', '.join(tokens)})")
            with httpx.Client(base_url=base, timeout=60) as http:
                report = fuzz(http, "/graphql", tokens, examples=examples, seed=seed, console=console)
    finally:
        server.stop()
    logged = logged_errors(log)
    console.print(f"[bold]bench fuzz[/] {report.summary()}; API log lines with ERROR or a stack trace: {len(logged)}")
    for failure in report.failures[:5]:
        console.print(f"  failure: {failure}")
    for line in logged[:5]:
        console.print(f"  logged: {line}")
    report.logged_errors = len(logged)
    if keep:
        record({"reliability.fuzz_cases": (report.cases, "requests"),
                "reliability.fuzz_5xx": (report.server_errors, "requests"),
                "reliability.fuzz_failures": (report.failed, "requests")},
               f"carkg bench fuzz --examples {examples} --seed {seed}")
    return report


__all__ = ["FuzzReport", "fuzz", "logged_errors", "role_tokens", "run_fuzz_benchmark"]
