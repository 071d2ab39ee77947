"""Neo4j stopped and started again during event intake at 200 events/s: every accepted event is stored exactly
once, callers get 503 with Retry-After (never a 500 or a hang), `/ready` reports the outage, and the API —
never restarted — recovers by itself. The scenario runs on a small Neo4j of its own (`fault_server`), so
stopping it touches no other test's database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from carkg.bench.outage import outage_scenario
from carkg.bench.server import fault_server


@pytest.fixture
def stopped_afterwards() -> Iterator[None]:
    yield
    fault_server().stop()


@pytest.mark.usefixtures("stopped_afterwards")
def test_neo4j_restarted_during_intake_loses_no_accepted_event(tmp_path: Path, free_port: int) -> None:
    report = outage_scenario(port=free_port, state_dir=tmp_path, rate=200.0, before=3.0, down=3.0, after=5.0)
    log = (tmp_path / "outage-api.log").read_text()
    print(report.summary())
    assert report.api_survived, log[-3000:]
    assert report.sent >= 200 * 8 and report.accepted == report.sent, report.summary()
    assert report.lost == 0 and report.stored == report.sent and report.miswired == 0, report.summary()
    assert report.statuses[503] > 0, "no request met the outage: the fault came too late or too early"
    assert report.failure_count == 0 and report.no_retry_after == 0, report.failures
    assert set(report.statuses) <= {200, 503}, report.statuses
    assert report.ready_reported_outage and report.ready_recovered, report.ready
    assert "Traceback" not in log, log[-3000:]
