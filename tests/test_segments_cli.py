"""`carkg segments …` end to end on the small graph: save, count, members, explain, materialise, diff, export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from segment_world import small_world
from typer.testing import CliRunner

from carkg.cli import app
from carkg.graph import Database
from carkg.graph.database import Target

INTENT = '{"kind": "tag", "code": "high_purchase_intent"}'
NOW = "2026-11-24T12:00:00+08:00"


@pytest.fixture
def cli(database: Database, neo4j_target: Target, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    small_world(database)
    for name, value in (("URI", neo4j_target.uri), ("USER", neo4j_target.user),
                        ("PASSWORD", neo4j_target.password), ("DATABASE", neo4j_target.database)):
        monkeypatch.setenv(f"NEO4J_{name}", value)
    return CliRunner()


def run(cli: CliRunner, *args: str) -> str:
    result = cli.invoke(app, ["segments", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_cli_round_trip(cli: CliRunner, tmp_path: Path) -> None:
    definition = tmp_path / "intent.json"
    definition.write_text(INTENT, encoding="utf-8")
    assert run(cli, "count", str(definition), "--now", NOW).strip() == "2"
    assert "P1" in run(cli, "members", INTENT, "--first", "1") and "--after P1" in run(cli, "members", INTENT,
                                                                                          "--first", "1")
    explained = run(cli, "explain", INTENT, "--now", NOW)
    assert ':param s0 => "high_purchase_intent"' in explained and "RETURN count(p) AS count" in explained
    assert "saved intent version 1" in run(cli, "save", "intent", str(definition), "--name", "Intent")
    assert "2 members, 2 entered, 0 exited" in run(cli, "materialise", "intent")
    assert json.loads(run(cli, "diff", "intent", "--json"))["entered"] == ["P1", "P2"]
    assert "intent" in run(cli, "list")
    out = tmp_path / "out.json"
    run(cli, "export", str(out), "--saved", "intent")
    body = json.loads(out.read_text(encoding="utf-8"))
    assert body["count"] == 2 and body["members"][0] == {"oneId": "P1", "tags": ["high_purchase_intent"]}
    exported = out.read_text(encoding="utf-8")
    assert "张" not in exported and "13800000001" not in exported and "138****" not in exported  # no personal data


def test_cli_errors_name_the_condition(cli: CliRunner) -> None:
    result = cli.invoke(app, ["segments", "count", '{"kind": "or", "conditions": [{"kind": "tag", "code": "xx"}]}'])
    assert result.exit_code == 1 and "or[0]: unknown tag code 'xx'" in result.output
