"""A small review world in the shape an identity run leaves it: records with phones, persons, MATCHES
evidence and review cases (the steward API tests and the steward page tests share it)."""

from __future__ import annotations

import json

from carkg.graph import Database

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
