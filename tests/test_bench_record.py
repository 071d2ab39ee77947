"""Benchmark figures keep where they came from: each key with its value, unit, command, machine and date."""

from __future__ import annotations

import json
from pathlib import Path

from carkg.bench.record import record


def test_a_figure_is_written_with_its_provenance_and_others_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "benchmarks.json"
    path.write_text(json.dumps({"alerts.p99_ms": {"value": 240, "unit": "ms"}}), encoding="utf-8")
    record({"leads.auc": (0.81, "AUC")}, "carkg bench leads --customers 100000", path)
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert stored["alerts.p99_ms"] == {"value": 240, "unit": "ms"}
    auc = stored["leads.auc"]
    assert (auc["value"], auc["unit"], auc["command"]) == (0.81, "AUC", "carkg bench leads --customers 100000")
    assert "cores" in auc["machine"] and len(auc["date"]) == 10
    record({"leads.auc": (0.83, "AUC")}, "carkg bench leads --customers 100000", path)
    assert json.loads(path.read_text(encoding="utf-8"))["leads.auc"]["value"] == 0.83
