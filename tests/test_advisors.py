"""The advisor tag library against a real graph: a generated demo loaded and resolved, each advisor's
track record derived, and the tags it leaves checked against independent queries of the same graph."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from carkg.advisors import derive
from carkg.advisors.track import PRIOR_WEIGHT, smoothed_rate
from carkg.demo import generate
from carkg.graph import Database
from carkg.identity import resolve
from carkg.ingest import Loader
from carkg.tags import load_library

AS_OF = datetime(2026, 11, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def graph(database: Database, tmp_path_factory: pytest.TempPathFactory) -> Database:
    database.wipe()
    database.apply_schema()
    root = tmp_path_factory.mktemp("advisors")
    generate(root / "exports", customers=1500, seed=21, bad_row_rate=0)
    Loader(database, key=bytes(31) + b"\x02", batch_size=2000, progress=False).load(root / "exports", root / "r.csv")
    resolve(database)
    load_library(database)
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
