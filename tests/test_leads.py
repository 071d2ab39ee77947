"""Lead scoring against a real graph: a generated demo (whose leads have a hidden propensity) loaded and
resolved, a model trained on a time split, open leads scored with factors, no leakage from after a
decision point, bad leads rejected at load, and the hidden truth never read."""

from __future__ import annotations

import csv
import json
import math
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from carkg.api.app import create_app
from carkg.auth import Role
from carkg.auth.tokens import create_token
from carkg.demo import generate
from carkg.demo.world import ANCHOR
from carkg.graph import Database, cypher
from carkg.graph.database import Target
from carkg.identity import resolve
from carkg.ingest import Loader
from carkg.ingest.pipeline import iter_rejects
from carkg.leads import LeadModel, LeadsError, features, score_open_leads, train
from carkg.leads.live import LiveScorer
from carkg.leads.model import snapshots
from carkg.leads.score import rescore
from carkg.paths import GRAPHQL_DIR
from carkg.settings import ApiSettings

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


# -- GraphQL and Browser ------------------------------------------------------------------------------

TOP_LEADS = (GRAPHQL_DIR / "top_leads.graphql").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def scored(graph: Database, model: LeadModel) -> Database:
    score_open_leads(graph, model, AS_OF)
    return graph


@pytest.fixture(scope="module")
def client(scored: Database, model: LeadModel, neo4j_target: Target,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    models = tmp_path_factory.mktemp("lead-models")
    model.save(models)
    scorer = LiveScorer(models, check_every=0)
    with TestClient(create_app(neo4j_target, ApiSettings(token_cache_seconds=0), scorer=scorer)) as c:
        yield c


@pytest.fixture(scope="module")
def tokens(scored: Database) -> dict[str, str]:
    dealers = [r["d"] for r in scored.query("""
        MATCH (d:Dealer)<-[:AT_DEALER]-(l:Lead) WHERE l.score IS NOT NULL
        RETURN d.dealerId AS d, count(l) AS n ORDER BY n DESC, d LIMIT 2""")]
    advisor = scored.query("""MATCH (l:Lead)-[:ASSIGNED_TO]->(a:Advisor)-[:WORKS_AT]->(d:Dealer {dealerId: $d})
                              WHERE l.score IS NOT NULL RETURN a.advisorId AS a LIMIT 1""", {"d": dealers[0]})[0]["a"]
    return {
        "analyst": create_token(scored, "t-leads-analyst", Role.ANALYST),
        "dealer": create_token(scored, "t-leads-dealer", Role.APP, dealer_id=dealers[0]),
        "relay": create_token(scored, "t-leads-relay", Role.APP),  # the OEM's event relay: every dealer's customers
        "advisor": create_token(scored, "t-leads-advisor", Role.ADVISOR, advisor_id=advisor, dealer_id=dealers[0]),
        "dealer_id": dealers[0], "other_dealer_id": dealers[1],
    }


def gql(client: TestClient, query: str, token: str, **variables: object) -> dict:
    resp = client.post("/graphql", json={"query": query, "variables": variables},
                       headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_graphql_lists_leads_best_first_with_factors_and_history(client: TestClient, tokens: dict) -> None:
    body = gql(client, TOP_LEADS, tokens["analyst"], first=15)
    assert "errors" not in body, body
    nodes = [e["node"] for e in body["data"]["leads"]["edges"]]
    scores = [n["score"]["score"] for n in nodes]
    assert len(nodes) == 15 and scores == sorted(scores, reverse=True)
    assert all(n["stage"] not in ("won", "lost") for n in nodes)
    best = nodes[0]["score"]
    assert best["grade"] == "A" and best["positive"] and best["positive"][0]["said"].endswith(")")
    assert nodes[0]["scoreHistory"][0]["score"] == best["score"]
    second = gql(client, TOP_LEADS, tokens["analyst"], first=15, after=body["data"]["leads"]["pageInfo"]["endCursor"])
    more = [e["node"] for e in second["data"]["leads"]["edges"]]
    assert more and not {n["leadId"] for n in more} & {n["leadId"] for n in nodes}
    assert more[0]["score"]["score"] <= scores[-1]


def test_graphql_filters_leads_by_grade_and_minimum_score(client: TestClient, tokens: dict, scored: Database) -> None:
    graded = gql(client, TOP_LEADS, tokens["analyst"], grade="B", first=50)["data"]["leads"]["edges"]
    assert graded and {e["node"]["score"]["grade"] for e in graded} == {"B"}
    floor = scored.query("""MATCH (l:Lead) WHERE l.score IS NOT NULL AND NOT l.stage IN ['won', 'lost']
                            RETURN percentileDisc(l.score, 0.9) AS s""")[0]["s"]
    high = gql(client, TOP_LEADS, tokens["analyst"], minScore=floor, first=100)["data"]["leads"]["edges"]
    expected = scored.query("""MATCH (l:Lead) WHERE l.score >= $s AND NOT l.stage IN ['won', 'lost']
                               RETURN count(l) AS n""", {"s": floor})[0]["n"]
    assert len(high) == min(expected, 100) and all(e["node"]["score"]["score"] >= floor for e in high)
    bad = gql(client, TOP_LEADS, tokens["analyst"], minScore=0)
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT" and "minScore" in bad["errors"][0]["message"]


def test_a_dealer_sees_only_its_own_leads(client: TestClient, tokens: dict, scored: Database) -> None:
    own = gql(client, TOP_LEADS, tokens["dealer"], first=100)["data"]["leads"]["edges"]
    assert own and {e["node"]["dealer"]["dealerId"] for e in own} == {tokens["dealer_id"]}
    refused = gql(client, TOP_LEADS, tokens["dealer"], dealer=tokens["other_dealer_id"])
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN" and refused["data"] is None
    foreign = scored.query("MATCH (l:Lead)-[:AT_DEALER]->(:Dealer {dealerId: $d}) RETURN l.leadId AS id LIMIT 1",
                           {"d": tokens["other_dealer_id"]})[0]["id"]
    one = "query ($id: String!) { lead(leadId: $id) { leadId score { score } } }"
    assert gql(client, one, tokens["advisor"], id=foreign)["data"]["lead"] is None
    assert gql(client, one, tokens["analyst"], id=foreign)["data"]["lead"]["leadId"] == foreign
    advisor = gql(client, TOP_LEADS, tokens["advisor"], first=100)["data"]["leads"]["edges"]
    assert advisor and {e["node"]["dealer"]["dealerId"] for e in advisor} == {tokens["dealer_id"]}


def test_an_event_for_the_person_rescores_their_open_lead_at_once(client: TestClient, tokens: dict,
                                                                   scored: Database) -> None:
    """The lead came in on one record; the event arrives on another record of the same person."""
    pair = scored.query("""MATCH (a:CustomerRecord)-[:RESOLVED_TO]->(:Person)<-[:RESOLVED_TO]-(b:CustomerRecord)
                           WHERE a.key < b.key RETURN a.key AS a, b.key AS b ORDER BY a LIMIT 1""")[0]
    now = datetime.now(UTC)
    scored.query("""MATCH (r:CustomerRecord {key: $key})
                    CREATE (r)-[:HAS_LEAD]->(:Lead {leadId: 'LIVE-1', stage: 'new', channel: 'app', createdAt: $at})""",
                 {"key": pair["a"], "at": now - timedelta(days=1)})
    one = "query { lead(leadId: \"LIVE-1\") { score { score scoredAt positive { said } } scoreHistory { score } } }"
    assert gql(client, one, tokens["analyst"])["data"]["lead"]["score"] is None
    seen = []
    for i in range(2):
        posted = datetime.now(UTC)
        event = {"eventId": f"live-{i}", "type": "book_test_drive", "at": (posted - timedelta(seconds=5)).isoformat(),
                 "customerKey": pair["b"], "channel": "h5"}
        resp = client.post("/events", json=[event], headers={"Authorization": f"Bearer {tokens['relay']}"})
        assert resp.status_code == 200 and resp.json()["stored"] == 1, resp.text
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            score = gql(client, one, tokens["analyst"])["data"]["lead"]["score"]
            if score and datetime.fromisoformat(score["scoredAt"]) >= posted:
                break
            time.sleep(0.05)
        assert score and datetime.fromisoformat(score["scoredAt"]) >= posted, score
        seen.append(score)
    assert seen[1]["scoredAt"] > seen[0]["scoredAt"]
    row = features.read(scored, [("LIVE-1", datetime.now(UTC))])["LIVE-1"]
    assert row[features.NAMES.index("test_drive_bookings_30d")] == 2  # the score was taken with both events


def test_the_analyst_query_lists_the_top_five_per_dealer(scored: Database) -> None:
    rows = scored.query(cypher("analyst/top_leads_per_dealer"))
    per_dealer = Counter(r["dealer"] for r in rows)
    assert rows and max(per_dealer.values()) == 5
    best = scored.query("""MATCH (d:Dealer {name: $d})<-[:AT_DEALER]-(l:Lead)
                           WHERE l.score IS NOT NULL AND NOT l.stage IN ['won', 'lost']
                           RETURN max(l.score) AS s""", {"d": rows[0]["dealer"]})[0]["s"]
    assert rows[0]["score"] == best and json.loads(rows[0]["factors"])


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
