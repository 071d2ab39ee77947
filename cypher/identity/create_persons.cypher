// New persons (their oneId is in use nowhere) and the RESOLVED_TO of their records, in one pass.
UNWIND $rows AS row
CREATE (p:Person {oneId: row.oneId, createdAt: $at, updatedAt: $at, recordCount: row.recordCount})
WITH p, row
UNWIND row.links AS link
MATCH (r:CustomerRecord) WHERE id(r) = link.id
CREATE (r)-[:RESOLVED_TO {method: link.method, score: link.score, runId: $runId, at: $at}]->(p)
