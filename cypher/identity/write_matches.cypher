// Pair evidence: one MATCHES per linked or review pair, a.key < b.key, evidence as a JSON string.
UNWIND $rows AS row
MATCH (a:CustomerRecord) WHERE id(a) = row.a
MATCH (b:CustomerRecord) WHERE id(b) = row.b
CREATE (a)-[:MATCHES {score: row.score, decision: row.decision, evidence: row.evidence, runId: $runId, at: $at}]->(b)
