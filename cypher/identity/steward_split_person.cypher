// A split takes effect at once: each leaving group becomes a new Person (method 'steward'); the first
// group stays with the old oneId.
// $oneId; $groups: [{oneId, keys}] (the leaving groups, each with its new oneId); $runId
MATCH (p:Person {oneId: $oneId})
UNWIND $groups AS g
CREATE (n:Person {oneId: g.oneId, createdAt: datetime(), updatedAt: datetime(), recordCount: size(g.keys),
                  splitFrom: $oneId})
WITH p, n, g
UNWIND g.keys AS key
MATCH (r:CustomerRecord {key: key})-[old:RESOLVED_TO]->(p)
DELETE old
CREATE (r)-[:RESOLVED_TO {method: 'steward', runId: $runId, at: datetime()}]->(n)
WITH DISTINCT p
SET p.recordCount = COUNT { (:CustomerRecord)-[:RESOLVED_TO]->(p) }, p.updatedAt = datetime()
RETURN p.oneId AS oneId
