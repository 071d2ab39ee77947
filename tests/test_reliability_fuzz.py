"""Schema-driven fuzzing (schemathesis) of every query and mutation, with a token of every role, on a small
resolved and tagged demo: no 5xx, no INTERNAL error, no stack trace or driver message in any answer, and every
error carries a code. CARKG_FUZZ_EXAMPLES=30 sends more documents per operation."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console
from starlette.testclient import TestClient

from carkg.api.app import create_app
from carkg.bench.demo import prepare_demo_graph
from carkg.bench.fuzz import fuzz, logged_errors, role_tokens, run_fuzz_benchmark
from carkg.bench.server import fault_server
from carkg.graph import Database
from carkg.graph.database import Target
from carkg.settings import ApiSettings

# documents per operation, each sent with six tokens
EXAMPLES = int(os.environ.get("CARKG_FUZZ_EXAMPLES", "4"))


@pytest.fixture(scope="module")
def client(database: Database, neo4j_target: Target) -> Iterator[TestClient]:
    database.wipe()
    database.apply_schema()
    prepare_demo_graph(database, customers=150, seed=23, console=Console(quiet=True))
    with TestClient(create_app(neo4j_target, ApiSettings(token_cache_seconds=0)),
                    raise_server_exceptions=False) as c:
        yield c


def test_fuzzed_documents_for_every_role_get_coded_errors_and_never_a_5xx(
        client: TestClient, database: Database, caplog: pytest.LogCaptureFixture) -> None:
    tokens = role_tokens(database, "fuzz")
    with caplog.at_level(logging.ERROR):
        report = fuzz(client, "/graphql", tokens, examples=EXAMPLES, seed=7)
    print(report.summary())
    assert report.cases >= 40 * len(tokens), report.summary()
    assert set(report.by_role) == set(tokens)
    assert report.failed == 0, "\n\n".join(report.failures)
    # the callers' own mistakes are answers, not failures of the service: nothing logged as an error
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text[:3000]


@pytest.fixture
def fault_server_stopped_afterwards() -> Iterator[None]:
    yield
    fault_server().stop()


@pytest.mark.usefixtures("fault_server_stopped_afterwards")
def test_the_fuzz_benchmark_drives_the_api_process_and_reads_its_log(free_port: int) -> None:
    report = run_fuzz_benchmark(examples=1, seed=3, port=free_port, console=Console(quiet=True), keep=False)
    assert report.cases >= 40 * 6 and report.failed == 0, "\n\n".join(report.failures)
    assert report.logged_errors == 0


def test_an_error_in_the_api_log_is_found_whatever_its_form(tmp_path: Path) -> None:
    log = tmp_path / "api.log"
    log.write_text('{"event": "request", "level": "info"}\n{"event": "boom", "level": "error"}\n'
                   "Traceback (most recent call last):\nINFO:     Started server process\n", encoding="utf-8")
    assert len(logged_errors(log)) == 2
