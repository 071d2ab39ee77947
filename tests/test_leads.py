"""Lead scoring against a real graph: a generated demo (whose leads have a hidden propensity) loaded and
resolved, a model trained on a time split, open leads scored with factors, no leakage from after a
decision point, bad leads rejected at load, and the hidden truth never read."""

from __future__ import annotations

import csv
import json
import math
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from carkg.demo import generate
from carkg.demo.world import ANCHOR
from carkg.graph import Database
from carkg.graph.database import Target
from carkg.identity import resolve
from carkg.ingest import Loader
from carkg.ingest.pipeline import iter_rejects
from carkg.leads import LeadModel, LeadsError, features, score_open_leads, train
from carkg.leads.model import snapshots
from carkg.leads.score import rescore

# The demo's data ends at its anchor day: scores and training are taken as of then.
AS_OF = datetime(ANCHOR.year, ANCHOR.month, ANCHOR.day, 23, 59, tzinfo=UTC)
CUSTOMERS = 4000


@pytest.fixture(scope="module")
def demo_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("leads-demo")
    generate(root / "exports", customers=CUSTOMERS, seed=11, bad_row_rate=0)
    return root


@pytest.fixture(scope="module")
def graph(database: Database, demo_root: Path) -> Database:
    database.wipe()
    database.apply_schema()
    Loader(database, key=bytes(31) + b"\x01", batch_size=2000, progress=False).load(
        demo_root / "exports", demo_root / "rejects.csv")
    resolve(database)
    return database


@pytest.fixture(scope="module")
def model(graph: Database) -> LeadModel:
    return train(graph, AS_OF, min_conversions=50)


def test_the_model_beats_chance_and_is_measured_beside_the_rule_baseline(model: LeadModel) -> None:
    m = model.metrics
    assert m.test_conversions >= 10 and m.train_conversions > m.test_conversions
    assert 0.65 < m.auc <= 1.0 and 0.5 < m.auc_rule_baseline < 1.0
    assert m.top_decile_lift > 1.5 and 0 < m.base_rate < 0.5
    assert model.split_at < model.as_of and model.features == list(features.NAMES)
    assert model.grade_cuts == sorted(model.grade_cuts, reverse=True)


def test_a_saved_model_scores_the_same_when_loaded(model: LeadModel, tmp_path: Path) -> None:
    model.save(tmp_path)
    again = LeadModel.load(tmp_path)
    rows = np.array([[0.0] * len(features.NAMES), [math.nan] * len(features.NAMES)])
    assert again.version == model.version and again.metrics == model.metrics
    assert np.allclose(again.probabilities(rows), model.probabilities(rows))


def test_nothing_dated_after_the_decision_point_changes_a_training_row(graph: Database) -> None:
    shot = next(s for s in snapshots(graph, AS_OF) if s.first and s.label == 1)
    before = features.read(graph, [(shot.lead_id, shot.decision_at)])[shot.lead_id]
    graph.query("""MATCH (l:Lead {leadId: $lead})
                   CREATE (l)-[:HAD]->(:LeadActivity {activityId: 'LA-after', type: 'test_drive', at: $after})""",
                {"lead": shot.lead_id, "after": shot.decision_at + timedelta(seconds=1)})
    assert features.read(graph, [(shot.lead_id, shot.decision_at)])[shot.lead_id] == before
    graph.query("""MATCH (l:Lead {leadId: $lead})
                   CREATE (l)-[:HAD]->(:LeadActivity {activityId: 'LA-before', type: 'test_drive', at: $before})""",
                {"lead": shot.lead_id, "before": shot.decision_at - timedelta(hours=1)})
    changed = features.read(graph, [(shot.lead_id, shot.decision_at)])[shot.lead_id]
    i = features.NAMES.index("test_drive")
    assert changed[i] == before[i] + 1  # the same read does see what came before
    graph.query("MATCH (a:LeadActivity) WHERE a.activityId IN ['LA-after', 'LA-before'] DETACH DELETE a")


def test_too_few_conversions_is_refused_with_the_reason(graph: Database) -> None:
    with pytest.raises(LeadsError, match=r"only \d+ converted leads .* at least 100000 are needed"):
        train(graph, AS_OF, min_conversions=100_000)


def test_open_leads_get_a_score_a_grade_and_factors_in_words(graph: Database, model: LeadModel) -> None:
    scores = score_open_leads(graph, model, AS_OF)
    assert len(scores) > 50
    assert all(1 <= s.score <= 99 and s.grade in "ABCD" and 1 <= len(s.factors) <= 6 for s in scores)
    assert {s.grade for s in scores} >= {"A", "D"}
    best = max(scores, key=lambda s: s.probability)
    assert best.factors[0].points > 0 and best.factors[0].text
    stored = graph.query("""MATCH (l:Lead {leadId: $id})
        RETURN l.score AS score, l.grade AS grade, l.modelVersion AS version, l.scoredAt AS at, l.factors AS factors,
               COUNT { (l)-[:SCORED]->(:LeadScore) } AS history""", {"id": best.lead_id})[0]
    assert (stored["score"], stored["grade"], stored["version"], stored["history"]) == (
        best.score, best.grade, model.version, 1)
    assert json.loads(stored["factors"])[0]["text"] == best.factors[0].text
    score_open_leads(graph, model, AS_OF)  # the same scores again: no new history entry
    assert graph.query("MATCH (:Lead {leadId: $id})-[:SCORED]->(s) RETURN count(s) AS n",
                       {"id": best.lead_id})[0]["n"] == 1


def test_a_lead_with_no_activity_gets_a_score_from_the_priors(graph: Database, model: LeadModel) -> None:
    graph.query("""CREATE (r:CustomerRecord {key: 'leads:QUIET', system: 'leads', sourceId: 'QUIET', name: '王先生',
                                             createdAt: $at})
                   CREATE (r)-[:HAS_LEAD]->(:Lead {leadId: 'QUIET', stage: 'new', channel: 'web', createdAt: $at})""",
                {"at": AS_OF - timedelta(days=2)})
    [quiet] = rescore(graph, model, ["QUIET"], AS_OF)
    assert 1 <= quiet.score <= 99
    assert any("no activity yet" in f.text for f in quiet.factors)


def test_rescoring_after_new_activity_moves_the_score(graph: Database, model: LeadModel) -> None:
    [before] = rescore(graph, model, ["QUIET"], AS_OF)
    graph.query("""MATCH (l:Lead {leadId: 'QUIET'})
                   UNWIND range(1, 3) AS i
                   CREATE (l)-[:HAD]->(:LeadActivity {activityId: 'LA-quiet-' + i, type: 'test_drive', at: $at})""",
                {"at": AS_OF - timedelta(hours=5)})
    [after] = rescore(graph, model, ["QUIET"], AS_OF)
    assert after.probability != before.probability
    assert any(f.feature == "test_drive" for f in after.factors)


def test_the_hidden_propensity_stays_in_the_truth_directory(graph: Database, demo_root: Path) -> None:
    truth = list(csv.DictReader((demo_root / "truth" / "lead_propensity.csv").open(encoding="utf-8")))
    assert truth and {"lead_id", "propensity", "converted"} <= truth[0].keys()
    first = json.loads((demo_root / "exports" / "lead_activities.jsonl").open(encoding="utf-8").readline())
    assert set(first) == {"activity_id", "lead_id", "type", "at"}
    assert graph.query("MATCH (n) WHERE n.propensity IS NOT NULL OR n.converted IS NOT NULL "
                       "RETURN count(n) AS n")[0]["n"] == 0
    converted = {r["lead_id"] for r in truth if r["converted"] == "1"}
    drives = graph.query("""MATCH (l:Lead)-[:HAD]->(a:LeadActivity {type: 'test_drive'})
                            RETURN l.leadId AS lead, count(a) AS n""")
    per = {r["lead"]: r["n"] for r in drives}
    rate = lambda ids: sum(per.get(i, 0) for i in ids) / max(1, len(ids))  # noqa: E731
    others = {r["lead_id"] for r in truth} - converted
    assert rate(converted) > 2 * rate(others)  # behaviour follows the hidden propensity


def test_the_cli_trains_reports_and_scores(graph: Database, neo4j_target: Target, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from carkg.cli import app

    monkeypatch.setenv("NEO4J_URI", neo4j_target.uri)
    monkeypatch.setenv("NEO4J_USER", neo4j_target.user)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_target.password)
    monkeypatch.setenv("CARKG_STATE_DIR", str(tmp_path))
    runner = CliRunner()
    refused = runner.invoke(app, ["leads", "train", "--as-of", AS_OF.isoformat(), "--min-conversions", "100000"])
    assert refused.exit_code == 1 and "at least 100000 are needed" in refused.output
    assert runner.invoke(app, ["leads", "report"]).exit_code == 1
    trained = runner.invoke(app, ["leads", "train", "--as-of", AS_OF.isoformat(), "--min-conversions", "50"])
    assert trained.exit_code == 0, trained.output
    assert "rule baseline" in trained.output and "gradient-boosted trees" in trained.output
    report = runner.invoke(app, ["leads", "report"])
    assert report.exit_code == 0 and "days_since_touch" in report.output
    scored = runner.invoke(app, ["leads", "score", "--as-of", AS_OF.isoformat()])
    assert scored.exit_code == 0 and "open leads" in scored.output


def test_bad_leads_are_rejected_at_load_with_field_and_reason(db: Database, tmp_path: Path) -> None:
    future = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    rows = [
        {"lead_id": "L-OK", "name": "张伟", "channel": "web", "created_at": "2026-10-01T10:00:00+08:00",
         "stage": "new"},
        {"lead_id": "L-FUTURE", "name": "张伟", "channel": "web", "created_at": future, "stage": "new"},
        {"lead_id": "L-NOBODY", "channel": "web", "created_at": "2026-10-01T10:00:00+08:00", "stage": "new"},
        {"lead_id": "L-CHANNEL", "name": "张伟", "channel": "tiktok", "created_at": "2026-10-01T10:00:00+08:00",
         "stage": "new"},
    ]
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "leads.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                                                 encoding="utf-8")
    (tmp_path / "in" / "lead_activities.jsonl").write_text(json.dumps(
        {"activity_id": "A1", "lead_id": "L-OK", "type": "test_drive", "at": future}) + "\n", encoding="utf-8")
    Loader(db, key=bytes(31) + b"\x01", progress=False).load(tmp_path / "in", tmp_path / "rejects.csv")
    rejects = {(r["file"], r["field"]): r["reason"] for r in iter_rejects(tmp_path / "rejects.csv")}
    assert "in the future" in rejects[("leads.jsonl", "created_at")]
    assert "belongs to nobody" in next(v for (f, _field), v in rejects.items() if f == "leads.jsonl"
                                       and "nobody" in v)
    assert ("leads.jsonl", "channel") in rejects
    assert "in the future" in rejects[("lead_activities.jsonl", "at")]
    assert [r["id"] for r in db.query("MATCH (l:Lead) RETURN l.leadId AS id")] == ["L-OK"]
