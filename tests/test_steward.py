"""Data stewards on One ID against a real graph: the review queue, decisions (accept, reject, merge,
split) with their MatchDecisions, audit entries, case status and Person changes, bad input, the CLI and
the GraphQL API with its example operations.

The graphs are small and hand-built in the shape the identity engine writes (see the One ID contract)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from carkg.graph import Database
from carkg.identity.steward import Actor, StewardError, decide_case, merge, run, split

STEWARD = Actor("token:t-steward", "steward")

RECORDS = [
    # key, name, city, person, phone
    ("dms:C1", "张伟", "上海", "OID-1", "+8613800000001"),
    ("wecom:W1", "张伟", "上海", "OID-1", "+8613800000001"),
    ("leads:L1", "张伟", "北京", "OID-2", "+8613800000002"),
    ("aftersales:A2", "李娜", "杭州", "OID-3", "+8613800000003"),
    ("dms:C2", "李娜", "杭州", "OID-3", "+8613800000003"),
    ("dms:C3", "王芳", "杭州", "OID-3", "+8613800000004"),
    ("dms:C4", "赵磊", "南京", None, None),
]
EVIDENCE = [
    {"field": "phone", "outcome": "agree", "weight": 4.2},
    {"field": "name", "outcome": "agree", "weight": 1.5},
    {"field": "city", "outcome": "disagree", "weight": -0.8},
]
MATCHES = [
    ("dms:C1", "wecom:W1", 0.97, "link"),
    ("dms:C1", "leads:L1", 0.71, "review"),
    ("leads:L1", "wecom:W1", 0.65, "review"),
    ("aftersales:A2", "dms:C2", 0.9, "link"),
]
CASES = [
    # caseId, kind, status, score, keys
    ("RC-P1", "pair", "open", 0.71, ["dms:C1", "leads:L1"]),
    ("RC-P3", "pair", "open", 0.65, ["leads:L1", "wecom:W1"]),
    ("RC-C1", "conflict", "open", 0.55, ["aftersales:A2", "dms:C2", "dms:C3"]),
    ("RC-P2", "pair", "decided", 0.6, ["dms:C2", "dms:C3"]),
]


def build(db: Database) -> None:
    """Records with phones, persons, MATCHES evidence and review cases, as an identity run leaves them."""
    db.query("""
        UNWIND $records AS row
        CREATE (r:CustomerRecord {key: row[0], system: split(row[0], ':')[0], sourceId: split(row[0], ':')[1],
                                  name: row[1], city: row[2]})
        FOREACH (e164 IN CASE WHEN row[4] IS NULL THEN [] ELSE [row[4]] END |
          MERGE (p:Phone {e164: e164}) ON CREATE SET p.masked = left(e164, 6) + '****' + right(e164, 4)
          MERGE (r)-[:HAS_PHONE]->(p))
        FOREACH (oneId IN CASE WHEN row[3] IS NULL THEN [] ELSE [row[3]] END |
          MERGE (p:Person {oneId: oneId}) ON CREATE SET p.createdAt = datetime()
          CREATE (r)-[:RESOLVED_TO {method: 'score', score: 0.9, runId: 'run-1', at: datetime()}]->(p))""",
             {"records": [list(r) for r in RECORDS]})
    db.query("""
        MATCH (p:Person) SET p.recordCount = COUNT { (:CustomerRecord)-[:RESOLVED_TO]->(p) }, p.updatedAt = datetime()
        WITH count(*) AS done
        MATCH (ph:Phone {e164: '+8613800000003'}) SET ph.suspect = true, ph.suspectReason = 'shared by 3 records'""")
    db.query("""
        UNWIND $matches AS m
        MATCH (a:CustomerRecord {key: m[0]}), (b:CustomerRecord {key: m[1]})
        CREATE (a)-[:MATCHES {score: m[2], decision: m[3], evidence: $evidence, runId: 'run-1',
                              at: datetime()}]->(b)""",
             {"matches": [list(m) for m in MATCHES], "evidence": json.dumps(EVIDENCE)})
    db.query("""
        UNWIND $cases AS c
        CREATE (rc:ReviewCase {caseId: c[0], kind: c[1], status: c[2], score: c[3], reason: 'review band',
                               runId: 'run-1', createdAt: datetime()})
        WITH rc, c UNWIND c[4] AS key
        MATCH (r:CustomerRecord {key: key}) CREATE (rc)-[:CONCERNS]->(r)""",
             {"cases": [list(c) for c in CASES]})


@pytest.fixture
def graph(db: Database) -> Database:
    build(db)
    return db


def decisions(db: Database) -> list[dict[str, Any]]:
    return db.query("""
        MATCH (d:MatchDecision)
        RETURN d.id AS id, d.kind AS kind, d.reason AS reason, d.actor AS actor, d.caseId AS caseId,
               COLLECT { MATCH (d)-[:BETWEEN]->(r) RETURN r.key ORDER BY r.key } AS keys
        ORDER BY id""")


def audit(db: Database) -> list[dict[str, Any]]:
    return [r["a"] for r in db.query("MATCH (a:AuditEntry) RETURN a {.*} AS a ORDER BY a.at")]


def persons(db: Database) -> dict[str, list[str]]:
    rows = db.query("""
        MATCH (p:Person)
        RETURN p.oneId AS oneId, COLLECT { MATCH (r)-[:RESOLVED_TO]->(p) RETURN r.key ORDER BY r.key } AS keys""")
    return {r["oneId"]: r["keys"] for r in rows}


def case(db: Database, case_id: str) -> dict[str, Any]:
    return db.query("MATCH (c:ReviewCase {caseId: $id}) RETURN c {.*} AS c", {"id": case_id})[0]["c"]


# -- decisions in Python ------------------------------------------------------------------------------


def test_accept_links_the_pair_folds_the_persons_and_closes_the_case(graph: Database) -> None:
    outcome = run(graph, lambda: decide_case("RC-P1", "accept", "same phone, same person", STEWARD))
    assert decisions(graph) == [{"id": "MD|dms:C1|leads:L1", "kind": "must_link", "reason": "same phone, same person",
                                 "actor": "token:t-steward", "caseId": "RC-P1", "keys": ["dms:C1", "leads:L1"]}]
    assert persons(graph)["OID-1"] == ["dms:C1", "leads:L1", "wecom:W1"] and "OID-2" not in persons(graph)
    assert outcome.merged_one_ids == ["OID-2"] and outcome.moved_keys == ["leads:L1"]
    moved = graph.query("MATCH (:CustomerRecord {key: 'leads:L1'})-[l:RESOLVED_TO]->(p) RETURN l.method AS m")
    assert moved == [{"m": "steward"}]
    assert graph.query("MATCH (p:Person {oneId: 'OID-1'}) RETURN p.recordCount AS n") == [{"n": 3}]
    c = case(graph, "RC-P1")
    assert (c["status"], c["decision"], c["decidedBy"], c["decisionReason"]) == (
        "decided", "accept", "token:t-steward", "same phone, same person")
    assert c["decidedAt"] is not None
    [entry] = audit(graph)
    assert (entry["action"], entry["actor"], entry["role"], entry["target"], entry["reason"]) == (
        "match_accept", "token:t-steward", "steward", "RC-P1", "same phone, same person")
    assert json.loads(entry["detail"])["decisions"][0]["kind"] == "must_link" and entry["at"] is not None


def test_reject_keeps_the_pair_apart(graph: Database) -> None:
    run(graph, lambda: decide_case("RC-P1", "reject", "different birth dates", STEWARD))
    assert [(d["kind"], d["keys"], d["caseId"]) for d in decisions(graph)] == [
        ("cannot_link", ["dms:C1", "leads:L1"], "RC-P1")]
    assert persons(graph)["OID-2"] == ["leads:L1"]
    assert case(graph, "RC-P1")["decision"] == "reject"
    assert audit(graph)[0]["action"] == "match_reject"


def test_accepting_a_conflict_case_chains_must_links_over_its_records(graph: Database) -> None:
    run(graph, lambda: decide_case("RC-C1", "accept", "one family account", STEWARD))
    assert [d["keys"] for d in decisions(graph)] == [["aftersales:A2", "dms:C2"], ["dms:C2", "dms:C3"]]
    assert persons(graph)["OID-3"] == ["aftersales:A2", "dms:C2", "dms:C3"]


def test_merge_moves_the_smaller_person_and_a_later_split_replaces_the_decision(graph: Database) -> None:
    outcome = run(graph, lambda: merge("leads:L1", "dms:C1", "customer confirmed by phone", STEWARD))
    assert outcome.one_ids == ["OID-1"] and outcome.moved_keys == ["leads:L1"]
    assert persons(graph)["OID-1"] == ["dms:C1", "leads:L1", "wecom:W1"]
    assert [(d["kind"], d["keys"]) for d in decisions(graph)] == [("must_link", ["dms:C1", "leads:L1"])]
    assert case(graph, "RC-P1")["decision"] == "merge"  # the open case about exactly this pair is answered
    assert case(graph, "RC-P3")["status"] == "open"

    outcome = run(graph, lambda: split("OID-1", [["dms:C1", "wecom:W1"], ["leads:L1"]], "two people after all",
                                       STEWARD, new_one_id=lambda: "OID-NEW"))
    assert persons(graph)["OID-1"] == ["dms:C1", "wecom:W1"] and persons(graph)["OID-NEW"] == ["leads:L1"]
    assert [(d["kind"], d["keys"]) for d in decisions(graph)] == [
        ("cannot_link", ["dms:C1", "leads:L1"]), ("cannot_link", ["leads:L1", "wecom:W1"])]
    assert [d.previous for d in outcome.decisions] == ["must_link", None]
    assert [e["action"] for e in audit(graph)] == ["match_merge", "match_split"]
    assert json.loads(audit(graph)[1]["detail"])["decisions"][0]["previous"] == "must_link"
    link = graph.query("MATCH (:CustomerRecord {key: 'leads:L1'})-[l:RESOLVED_TO]->(p) RETURN l.method AS m, "
                       "p.splitFrom AS f")
    assert link == [{"m": "steward", "f": "OID-1"}]


def test_merging_two_persons_by_one_id_and_an_unresolved_record(graph: Database) -> None:
    run(graph, lambda: merge("OID-2", "OID-1", "same customer, two systems", STEWARD))
    assert persons(graph)["OID-1"] == ["dms:C1", "leads:L1", "wecom:W1"]
    run(graph, lambda: merge("dms:C4", "dms:C1", "walk-in recognised by the advisor", STEWARD))
    assert persons(graph)["OID-1"] == ["dms:C1", "dms:C4", "leads:L1", "wecom:W1"]


@pytest.mark.parametrize(("flow", "field", "words"), [
    (lambda: decide_case("RC-NOPE", "accept", "a good reason", STEWARD), "caseId", "no review case"),
    (lambda: decide_case("RC-P2", "accept", "a good reason", STEWARD), "caseId", "decided already"),
    (lambda: decide_case("RC-P1", "accept", " ok ", STEWARD), "reason", "at least 5"),
    (lambda: decide_case("RC-C1", "reject", "a good reason", STEWARD), "decision", "split"),
    (lambda: merge("dms:C1", "dms:C1", "a good reason", STEWARD), "recordKeyB", "itself"),
    (lambda: merge("dms:C1", "dms:NOPE", "a good reason", STEWARD), "recordKeyB", "no customer record"),
    (lambda: split("OID-3", [["dms:C2"], ["dms:C3"]], "a good reason", STEWARD), "groups", "aftersales:A2"),
    (lambda: split("OID-3", [["dms:C2", "dms:C1"], ["dms:C3", "aftersales:A2"]], "a good reason", STEWARD),
     "groups", "not records of this customer: dms:C1"),
    (lambda: split("OID-3", [["dms:C2", "dms:C3", "aftersales:A2"]], "a good reason", STEWARD), "groups",
     "two non-empty"),
    (lambda: split("OID-3", [["dms:C2", "dms:C3"], ["dms:C3", "aftersales:A2"]], "a good reason", STEWARD),
     "groups[1]", "more than one group"),
    (lambda: split("OID-NOPE", [["a"], ["b"]], "a good reason", STEWARD), "oneId", "no customer"),
])
def test_bad_decisions_name_the_field_and_change_nothing(graph: Database, flow: Any, field: str, words: str) -> None:
    statuses = "MATCH (c:ReviewCase) RETURN c.caseId AS id, c.status AS s ORDER BY id"
    before = (persons(graph), graph.query(statuses))
    with pytest.raises(StewardError) as info:
        run(graph, flow)
    assert info.value.field == field and words in str(info.value)
    assert decisions(graph) == [] and audit(graph) == []
    assert before == (persons(graph), graph.query(statuses))


def test_a_merge_that_would_break_a_cannot_link_is_refused(graph: Database) -> None:
    run(graph, lambda: decide_case("RC-P3", "reject", "different people", STEWARD))
    with pytest.raises(StewardError, match="kept apart by decision MD\\|leads:L1\\|wecom:W1"):
        run(graph, lambda: merge("dms:C1", "leads:L1", "try to merge anyway", STEWARD))
    assert persons(graph)["OID-2"] == ["leads:L1"]
