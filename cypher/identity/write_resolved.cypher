// Record → person links that changed: the old RESOLVED_TO goes, the new one says how and when.
UNWIND $rows AS row
MATCH (r:CustomerRecord) WHERE id(r) = row.id
OPTIONAL MATCH (r)-[old:RESOLVED_TO]->(:Person)
DELETE old
WITH r, row
MATCH (p:Person {oneId: row.oneId})
CREATE (r)-[:RESOLVED_TO {method: row.method, score: row.score, runId: $runId, at: $at}]->(p)
