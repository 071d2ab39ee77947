// Existing persons whose records changed: record count kept current, new RESOLVED_TO for the records that
// (re)joined them (their old links were removed just before by delete_resolved).
UNWIND $rows AS row
MATCH (p:Person {oneId: row.oneId})
SET p.updatedAt = $at, p.recordCount = row.recordCount
WITH p, row
UNWIND row.links AS link
MATCH (r:CustomerRecord) WHERE id(r) = link.id
CREATE (r)-[:RESOLVED_TO {method: link.method, score: link.score, runId: $runId, at: $at}]->(p)
