// Persons and their record links, one row per changed cluster: the person is created on first sight,
// its record count kept current; each changed record drops its old RESOLVED_TO and gets the new one.
UNWIND $rows AS row
MERGE (p:Person {oneId: row.oneId})
  ON CREATE SET p.createdAt = $at
SET p.updatedAt = $at, p.recordCount = row.recordCount
WITH p, row
UNWIND row.links AS link
MATCH (r:CustomerRecord) WHERE id(r) = link.id
OPTIONAL MATCH (r)-[old:RESOLVED_TO]->(:Person)
DELETE old
WITH DISTINCT r, p, link
CREATE (r)-[:RESOLVED_TO {method: link.method, score: link.score, runId: $runId, at: $at}]->(p)
