"""The advisor tag library against a real graph: a generated demo loaded and resolved, each advisor's
track record derived, and the tags it leaves checked against independent queries of the same graph."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from carkg.advisors import derive, recommend
from carkg.advisors.evaluate import evaluate, load_truth
from carkg.advisors.track import PRIOR_WEIGHT, smoothed_rate
from carkg.api.app import create_app
from carkg.auth import Role
from carkg.auth.tokens import create_token
from carkg.demo import generate
from carkg.graph import Database
from carkg.graph.database import Target
from carkg.identity import resolve
from carkg.ingest import Loader
from carkg.leads.live import LiveScorer
from carkg.paths import GRAPHQL_DIR
from carkg.settings import ApiSettings
from carkg.tags import load_library
from carkg.tags.backfill import backfill
from carkg.web.guide import analyst_query

AS_OF = datetime(2026, 11, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("advisors")
    generate(root / "exports", customers=1500, seed=21, bad_row_rate=0)
    return root


@pytest.fixture(scope="module")
def graph(database: Database, demo_root: Path) -> Database:
    database.wipe()
    database.apply_schema()
    root = demo_root
    Loader(database, key=bytes(31) + b"\x02", batch_size=2000, progress=False).load(root / "exports", root / "r.csv")
    resolve(database)
    load_library(database)
    backfill(database, now=AS_OF)  # customers' hobbies in chats become interest_* tags
    derive(database, AS_OF)
    return database


def _tags(db: Database, advisor_id: str) -> dict[str, dict]:
    rows = db.query(
        "MATCH (ta:TagAssignment)-[:TAGS]->(:Advisor {advisorId: $a}) WHERE ta.removedAt IS NULL "
        "RETURN ta.tagCode AS code, ta {.*} AS ta",
        {"a": advisor_id},
    )
    return {r["code"]: r["ta"] for r in rows}


def test_model_knowledge_counts_every_order_of_the_customers_an_advisor_serves(graph: Database) -> None:
    sold = graph.query(
        "MATCH (a:Advisor)<-[:SERVED_BY]-(:CustomerRecord {system: 'dms'})-[:PLACED]->(o:Order)"
        "-[:FOR_VEHICLE]->(:Vehicle)-[:OF_MODEL]->(m:VehicleModel) WHERE o.date < date($asOf) "
        "RETURN a.advisorId AS a, m.code AS m, count(DISTINCT o) AS n",
        {"asOf": AS_OF},
    )
    assert len(sold) > 50
    known = {
        (r["a"], r["m"]): r["deals"]
        for r in graph.query(
            "MATCH (a:Advisor)-[k:KNOWS_MODEL]->(m:VehicleModel) RETURN a.advisorId AS a, m.code AS m, k.deals AS deals"
        )
    }
    for r in sold:
        assert known[(r["a"], r["m"])] >= r["n"], r
    # Models concentrate: the demo's advisors know one or two models best, and the orders show it.
    top_share = graph.query(
        "MATCH (a:Advisor)-[k:KNOWS_MODEL]->() WITH a, collect(k.deals) AS d WHERE reduce(s = 0, x IN d | s + x) >= 8 "
        "RETURN avg(toFloat(apoc.coll.max(d)) / reduce(s = 0, x IN d | s + x)) AS share"
    )[0]["share"]
    assert top_share > 0.4


def test_conversion_rate_tags_agree_with_the_counts_and_the_profile_becomes_import_tags(graph: Database) -> None:
    advisors = graph.query("MATCH (a:Advisor) RETURN a {.*} AS a ORDER BY a.advisorId")
    assert any(a["a"]["closedLeads"] > 0 for a in advisors)
    checked = 0
    for row in advisors:
        a = row["a"]
        tags = _tags(graph, a["advisorId"])
        rate = tags["advisor_conversion_rate"]
        assert rate["value"] == pytest.approx(smoothed_rate(a["convertedLeads"], a["closedLeads"]), abs=1e-4)
        assert rate["confidence"] == pytest.approx(a["closedLeads"] / (a["closedLeads"] + PRIOR_WEIGHT), abs=1e-3)
        assert rate["source"] == "rule" and rate["actor"] == "carkg.advisors"
        assert ("speaks_cantonese" in tags) == ("粤语" in (a.get("languages") or []))
        if "露营" in (a.get("interests") or []):
            assert tags["interest_camping"]["source"] == "import"
            checked += 1
        assert ("advisor_top_rated" in tags) == (a["rating"] >= 4.5)
    assert checked > 0


def test_rederiving_changes_nothing_and_flags_that_no_longer_hold_come_off(graph: Database) -> None:
    changes = "MATCH (c:TagChange)-[:OF_ASSIGNMENT]->(:TagAssignment)-[:TAGS]->(:Advisor) RETURN count(c) AS n"
    before = graph.query(changes)[0]["n"]
    derive(graph, AS_OF)
    assert graph.query(changes)[0]["n"] == before

    loads = graph.query(
        "MATCH (ta:TagAssignment {tagCode: 'advisor_workload'})-[:TAGS]->(a:Advisor) "
        "WHERE ta.value > 0 RETURN a.advisorId AS a, ta.value AS open ORDER BY open DESC LIMIT 1"
    )
    busiest, open_leads = loads[0]["a"], loads[0]["open"]
    derive(graph, AS_OF, workload_limit=int(open_leads) - 1)
    assert "advisor_overloaded" in _tags(graph, busiest)
    report = derive(graph, AS_OF, workload_limit=10_000)
    assert "advisor_overloaded" not in _tags(graph, busiest) and report.removed >= 1


def test_fast_responders_are_the_advisors_whose_median_reply_is_within_half_an_hour(graph: Database) -> None:
    delays = graph.query(
        "MATCH (a:Advisor)<-[:WITH_ADVISOR]-(m:ChatMessage {direction: 'in'})-[:WITH_CUSTOMER]->(r) "
        "WHERE m.at < $asOf "
        "OPTIONAL MATCH (r)<-[:WITH_CUSTOMER]-(o:ChatMessage {direction: 'out'})-[:WITH_ADVISOR]->(a) "
        "WHERE m.at < o.at < $asOf "
        "WITH a, m, min(o.at) AS replied WHERE replied IS NOT NULL "
        "RETURN a.advisorId AS a, collect(duration.inSeconds(m.at, replied).seconds) AS seconds", {"asOf": AS_OF})
    fast = {r["a"] for r in delays if len(r["seconds"]) >= 5 and _median(r["seconds"]) <= 30 * 60}
    tagged = {r["a"] for r in graph.query(
        "MATCH (ta:TagAssignment {tagCode: 'advisor_fast_responder'})-[:TAGS]->(a:Advisor) "
        "WHERE ta.removedAt IS NULL RETURN a.advisorId AS a")}
    assert fast, "the demo has advisors who answer fast"
    assert len(fast) < len(delays)
    assert tagged == fast


def _median(values: list[int]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


# -- recommendation ------------------------------------------------------------------------------------


def _lead_with_a_located_customer(db: Database) -> dict:
    return db.query("""
        MATCH (l:Lead)-[:INTERESTED_IN]->(m:VehicleModel)-[:OF_BRAND]->(b:Brand), (c:City {name: l.city})
        WHERE EXISTS { (d:Dealer)-[:SELLS]->(b) WHERE point.distance(d.location, c.location) < 50000 }
        RETURN l.leadId AS lead, b.code AS brand, c.location AS home ORDER BY l.leadId LIMIT 1""")[0]


def test_a_lead_gets_nearby_advisors_of_its_brand_best_first_with_reasons(graph: Database) -> None:
    target = _lead_with_a_located_customer(graph)
    rec = recommend(graph, lead_id=target["lead"], k=3, as_of=AS_OF)
    assert rec is not None and rec.located and rec.notes == []
    assert len(rec.advisors) == 3
    assert [a.score for a in rec.advisors] == sorted((a.score for a in rec.advisors), reverse=True)
    for a in rec.advisors:
        row = graph.query("""
            MATCH (x:Advisor {advisorId: $a})-[:WORKS_AT]->(d:Dealer)
            RETURN x.brandCode AS brand, point.distance(d.location, $home) / 1000 AS km,
                   EXISTS { (d)-[:SELLS]->(:Brand {code: $brand}) } AS sells""",
                          {"a": a.advisor_id, "home": target["home"], "brand": target["brand"]})[0]
        assert row["sells"] and row["brand"] == target["brand"]
        assert a.distance_km == pytest.approx(row["km"], abs=1e-6) and a.distance_km <= 50
        assert any(r.startswith("距离 ") for r in a.reasons)
        assert any("线索转化率 " in r for r in a.reasons)


def test_shared_interests_and_model_knowledge_are_read_from_the_graph(graph: Database) -> None:
    pairs = graph.query("""
        MATCH (t1:TagAssignment)-[:TAGS]->(:CustomerRecord)-[:RESOLVED_TO]->(:Person)<-[:RESOLVED_TO]-
              (:CustomerRecord)-[:HAS_LEAD]->(l:Lead)-[:INTERESTED_IN]->(m:VehicleModel)
        WHERE t1.tagCode STARTS WITH 'interest_' AND t1.removedAt IS NULL
        RETURN l.leadId AS lead, m.code AS model, collect(DISTINCT t1.tagCode) AS hobbies LIMIT 40""")
    shared_seen = 0
    for p in pairs:
        rec = recommend(graph, lead_id=p["lead"], k=20, as_of=AS_OF)
        assert rec is not None
        for a in rec.advisors:
            truth = graph.query("""
                MATCH (x:Advisor {advisorId: $a})
                RETURN coalesce(head([(x)-[k:KNOWS_MODEL]->(:VehicleModel {code: $m}) | k.deals]), 0) AS deals,
                       head([(x)-[k:KNOWS_MODEL]->(:VehicleModel {code: $m}) | k.closedLeads]) AS closed,
                       [(ta:TagAssignment)-[:TAGS]->(x) WHERE ta.removedAt IS NULL AND ta.tagCode IN $hobbies
                        | ta.tagCode] AS shared""", {"a": a.advisor_id, "m": rec.model["code"],
                                                    "hobbies": p["hobbies"]})[0]
            said = [r for r in a.reasons if r.startswith("共同兴趣")]
            assert bool(said) == bool(truth["shared"]), (a, truth)
            shared_seen += bool(said)
            assert any(f"完成 {truth['deals']} 单" in r for r in a.reasons) == (truth["deals"] > 0)
            model_rate = [r for r in a.reasons if r.startswith(f"{rec.model['nameZh']} 线索转化率")]
            assert bool(model_rate) == bool(truth["closed"]), (a, truth)
    assert shared_seen > 0


def test_a_customer_without_a_location_is_ranked_without_distance_and_told_so(graph: Database) -> None:
    one_id = graph.query("""
        MATCH (p:Person)<-[:RESOLVED_TO]-(r:CustomerRecord)-[:HAS_LEAD]->(:Lead)
        WHERE NOT EXISTS { (p)<-[:RESOLVED_TO]-(:CustomerRecord)-[:CUSTOMER_OF]->() }
        RETURN p.oneId AS p ORDER BY p LIMIT 1""")[0]["p"]
    places = """MATCH (:Person {oneId: $p})<-[:RESOLVED_TO]-(r)
                RETURN r.key AS key, r.city AS city, [(r)-[:HAS_LEAD]->(l) | l {.leadId, .city}] AS leads"""
    keep = graph.query(places, {"p": one_id})
    graph.query("MATCH (:Person {oneId: $p})<-[:RESOLVED_TO]-(r) OPTIONAL MATCH (r)-[:HAS_LEAD]->(l) "
                "REMOVE r.city, l.city", {"p": one_id})
    try:
        rec = recommend(graph, one_id=one_id, k=3, as_of=AS_OF)
    finally:
        graph.query("""UNWIND $rows AS row MATCH (r:CustomerRecord {key: row.key}) SET r.city = row.city
                       WITH row UNWIND row.leads AS x MATCH (l:Lead {leadId: x.leadId}) SET l.city = x.city""",
                    {"rows": keep})
    assert rec is not None and not rec.located and rec.advisors
    assert any("distance not weighed" in n for n in rec.notes)
    assert all(a.distance_km is None and not any(r.startswith("距离") for r in a.reasons) for a in rec.advisors)


def test_overloaded_advisors_are_passed_over_while_others_are_free(graph: Database) -> None:
    target = _lead_with_a_located_customer(graph)
    every = recommend(graph, lead_id=target["lead"], k=50, as_of=AS_OF, workload_limit=10_000)
    assert every is not None
    busiest = max(every.advisors, key=lambda a: a.open_leads)
    assert busiest.open_leads > 0
    rec = recommend(graph, lead_id=target["lead"], k=50, as_of=AS_OF, workload_limit=busiest.open_leads - 1)
    assert rec is not None and busiest.advisor_id not in {a.advisor_id for a in rec.advisors}
    jammed = recommend(graph, lead_id=target["lead"], k=3, as_of=AS_OF, workload_limit=-1)
    assert jammed is not None and len(jammed.advisors) == 3
    assert any("workload limit" in n for n in jammed.notes)


def test_a_dealer_scope_ranks_its_own_advisors_and_unknown_ids_give_none(graph: Database) -> None:
    target = _lead_with_a_located_customer(graph)
    dealer, other = (graph.query("MATCH (:Lead {leadId: $l})-[:AT_DEALER]->(d) RETURN d.dealerId AS d",
                                 {"l": target["lead"]})[0]["d"],
                     graph.query("MATCH (l:Lead {leadId: $l}), (d:Dealer) WHERE NOT (l)-[:AT_DEALER]->(d) "
                                 "RETURN d.dealerId AS d LIMIT 1", {"l": target["lead"]})[0]["d"])
    own = recommend(graph, lead_id=target["lead"], k=50, as_of=AS_OF,
                    scope={"all": False, "advisorId": None, "dealerId": dealer})
    assert own is not None and own.advisors and {a.dealer["dealerId"] for a in own.advisors} == {dealer}
    # another dealer's lead is as unknown as a lead that does not exist
    assert recommend(graph, lead_id=target["lead"], scope={"all": False, "advisorId": None, "dealerId": other}) is None
    assert recommend(graph, lead_id="NO-SUCH-LEAD") is None
    assert recommend(graph, one_id="NO-SUCH-PERSON") is None


def test_the_browser_query_ranks_as_the_recommender_does(graph: Database) -> None:
    query = analyst_query("advisors_for_lead").query
    leads = [r["l"] for r in graph.query("""
        MATCH (l:Lead)-[:INTERESTED_IN]->() WHERE l.city IS NOT NULL RETURN l.leadId AS l ORDER BY l LIMIT 12""")]
    assert len(leads) == 12
    for lead in leads:
        rec = recommend(graph, lead_id=lead, k=3)
        assert rec is not None
        browser = graph.query(query, {"leadId": lead})
        assert [r["advisor"] for r in browser] == [a.advisor_id for a in rec.advisors], lead
        assert [r["score"] for r in browser] == pytest.approx([a.score for a in rec.advisors], abs=1e-3)


# -- GraphQL -------------------------------------------------------------------------------------------

RECOMMEND = (GRAPHQL_DIR / "recommend_advisors.graphql").read_text(encoding="utf-8")
ASSIGN = (GRAPHQL_DIR / "assign_advisor.graphql").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def client(graph: Database, neo4j_target: Target, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    scorer = LiveScorer(tmp_path_factory.mktemp("no-lead-models"), check_every=0)
    with TestClient(create_app(neo4j_target, ApiSettings(token_cache_seconds=0), scorer=scorer)) as c:
        yield c


@pytest.fixture(scope="module")
def tokens(graph: Database) -> dict[str, str]:
    target = _lead_with_a_located_customer(graph)
    dealer = graph.query("MATCH (:Lead {leadId: $l})-[:AT_DEALER]->(d) RETURN d.dealerId AS d",
                         {"l": target["lead"]})[0]["d"]
    advisor = graph.query("MATCH (a:Advisor)-[:WORKS_AT]->(:Dealer {dealerId: $d}) RETURN a.advisorId AS a "
                          "ORDER BY a LIMIT 1", {"d": dealer})[0]["a"]
    return {
        "analyst": create_token(graph, "t-advisors-analyst", Role.ANALYST),
        "admin": create_token(graph, "t-advisors-admin", Role.ADMIN),
        "dealer": create_token(graph, "t-advisors-dealer", Role.APP, dealer_id=dealer),
        "advisor": create_token(graph, "t-advisors-advisor", Role.ADVISOR, advisor_id=advisor, dealer_id=dealer),
        "dealer_id": dealer, "lead": target["lead"],
    }


def gql(client: TestClient, query: str, token: str, **variables: object) -> dict:
    resp = client.post("/graphql", json={"query": query, "variables": variables},
                       headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_graphql_recommends_what_the_ranking_gives_with_reasons(client: TestClient, tokens: dict,
                                                                graph: Database) -> None:
    body = gql(client, RECOMMEND, tokens["analyst"], lead=tokens["lead"], k=3)
    assert "errors" not in body, body
    got = body["data"]["recommendAdvisors"]
    expected = recommend(graph, lead_id=tokens["lead"], k=3)
    assert expected is not None and got["leadId"] == tokens["lead"] and got["homeCity"] == expected.home_city
    assert [a["advisor"]["advisorId"] for a in got["advisors"]] == [a.advisor_id for a in expected.advisors]
    assert all(a["reasons"] and a["distanceKm"] is not None for a in got["advisors"])


def test_graphql_scopes_recommendations_to_the_dealer_and_names_unknown_ids(client: TestClient,
                                                                            tokens: dict) -> None:
    own = gql(client, RECOMMEND, tokens["dealer"], lead=tokens["lead"], k=10)["data"]["recommendAdvisors"]
    assert own["advisors"] and {a["dealer"]["dealerId"] for a in own["advisors"]} == {tokens["dealer_id"]}
    missing = gql(client, RECOMMEND, tokens["analyst"], lead="L-NOPE")
    assert missing["errors"][0]["extensions"]["code"] == "NOT_FOUND" and "L-NOPE" in missing["errors"][0]["message"]
    nobody = gql(client, RECOMMEND, tokens["analyst"], customer="P-NOPE")
    assert nobody["errors"][0]["extensions"]["code"] == "NOT_FOUND" and "P-NOPE" in nobody["errors"][0]["message"]
    both = gql(client, RECOMMEND, tokens["analyst"], lead=tokens["lead"], customer="P-NOPE")
    assert both["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_assigning_a_lead_records_who_and_why_and_stays_within_the_dealer(client: TestClient, tokens: dict,
                                                                          graph: Database) -> None:
    lead = tokens["lead"]
    before = graph.query("MATCH (:Lead {leadId: $l})-[:ASSIGNED_TO]->(a) RETURN a.advisorId AS a", {"l": lead})
    pick = gql(client, RECOMMEND, tokens["dealer"], lead=lead, k=3)["data"]["recommendAdvisors"]["advisors"]
    chosen = next(a["advisor"]["advisorId"] for a in pick if a["advisor"]["advisorId"] not in
                  {b["a"] for b in before})
    body = gql(client, ASSIGN, tokens["dealer"], lead=lead, advisor=chosen, reason="懂车型, 距离近")
    assert "errors" not in body, body
    done = body["data"]["assignAdvisor"]
    assert done["lead"]["advisor"]["advisorId"] == chosen and done["reason"] == "懂车型, 距离近"
    assert done["assignedBy"] == "token:t-advisors-dealer" and done["previousAdvisorIds"] == [b["a"] for b in before]
    stored = graph.query("""MATCH (l:Lead {leadId: $l})-[r:ASSIGNED_TO]->(a)
                            RETURN a.advisorId AS a, r.by AS by, r.reason AS reason,
                                   COUNT { (l)-[:HAS_ASSIGNMENT]->(:LeadAssignment) } AS history""", {"l": lead})
    assert stored == [{"a": chosen, "by": "token:t-advisors-dealer", "reason": "懂车型, 距离近", "history": 1}]

    elsewhere = graph.query("MATCH (a:Advisor)-[:WORKS_AT]->(d) WHERE d.dealerId <> $d RETURN a.advisorId AS a "
                            "LIMIT 1", {"d": tokens["dealer_id"]})[0]["a"]
    refused = gql(client, ASSIGN, tokens["dealer"], lead=lead, advisor=elsewhere)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    by_advisor = gql(client, ASSIGN, tokens["advisor"], lead=lead, advisor=chosen)
    assert by_advisor["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert graph.query("MATCH (:Lead {leadId: $l})-[:ASSIGNED_TO]->(a) RETURN a.advisorId AS a",
                       {"l": lead}) == [{"a": chosen}]


# -- evaluation (last: it re-derives the track record) -------------------------------------------------


def test_the_replay_scores_the_ranking_beside_the_nearest_dealer_baseline(graph: Database, demo_root: Path) -> None:
    truth = demo_root / "truth" / "advisor_fit.csv"
    result = evaluate(graph, truth, restore_at=AS_OF)
    assert result.leads >= 50 and result.skipped <= result.leads // 10
    m, b = result.model, result.baseline
    assert 0 <= result.hit_at(m, 1) <= result.hit_at(m, 3) <= 1
    assert 0 <= result.hit_at(b, 1) <= result.hit_at(b, 3) <= 1
    assert result.hit_at(m, 3) > result.hit_at(b, 3), result
    assert result.as_of < AS_OF and m.priced > 0.8 * result.leads
    # the track record was read as of the first replayed lead, then put back
    assert graph.query("MATCH (a:Advisor) RETURN collect(DISTINCT a.trackRecordAsOf) AS at")[0]["at"] == [AS_OF]


def test_a_bad_truth_row_is_named(tmp_path: Path) -> None:
    path = tmp_path / "advisor_fit.csv"
    path.write_text("lead_id,advisor_id,conversion_probability\nLD1,A1,0.3\nLD1,A2,high\n", encoding="utf-8")
    with pytest.raises(ValueError, match="row 3"):
        load_truth(path)


def test_hobbies_an_advisor_writes_about_become_keyword_tags(graph: Database) -> None:
    advisor = graph.query("""
        MATCH (a:Advisor)<-[:WITH_ADVISOR]-(m:ChatMessage {direction: 'out'})-[:WITH_CUSTOMER]->(r)
        WHERE NOT '钓鱼' IN coalesce(a.interests, [])
        RETURN a.advisorId AS a, r.key AS r LIMIT 1""")[0]
    graph.query("""
        MATCH (a:Advisor {advisorId: $a}), (r:CustomerRecord {key: $r})
        UNWIND range(1, 3) AS i
        CREATE (m:ChatMessage {messageId: 'T-HOBBY-' + toString(i), direction: 'out', at: $at - duration({days: i}),
                               text: '我周末也常去钓鱼，可以一起交流'})
        CREATE (m)-[:WITH_ADVISOR]->(a), (m)-[:WITH_CUSTOMER]->(r)""",
                {"a": advisor["a"], "r": advisor["r"], "at": AS_OF})
    try:
        derive(graph, AS_OF)
        tag = _tags(graph, advisor["a"])["interest_fishing"]
        assert tag["source"] == "keyword" and tag["actor"] == "carkg.advisors" and tag["confidence"] == 1.0
        assert tag["evidence"] == ["mentioned in 3 of their chat messages"]
    finally:
        graph.query("MATCH (m:ChatMessage) WHERE m.messageId STARTS WITH 'T-HOBBY-' DETACH DELETE m")
