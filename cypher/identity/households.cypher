// Households: two persons (not one) whose records share a trusted phone (a family number: a suspect one —
// front desk, test number, staff, too many names — never counts) or the same written address get one
// SAME_HOUSEHOLD between them, the smaller oneId first, with its evidence (masked phones, 'address').
// Rebuilt on every resolve run for the persons in $oneIds (all when null): see delete_households.
// :param oneIds => null
// :param runId => 'manual'
// :param at => datetime()
MATCH (p:Person)
WHERE $oneIds IS NULL OR p.oneId IN $oneIds
CALL (p) {
  MATCH (p)<-[:RESOLVED_TO]-(:CustomerRecord)-[:HAS_PHONE]->(x:Phone)<-[:HAS_PHONE]-(:CustomerRecord)
        -[:RESOLVED_TO]->(q:Person)
  WHERE q <> p AND NOT coalesce(x.suspect, false)
  RETURN q, 'phone ' + coalesce(x.masked, 'number') AS evidence
  UNION
  MATCH (p)<-[:RESOLVED_TO]-(r:CustomerRecord)
  WHERE r.address IS NOT NULL
  MATCH (s:CustomerRecord {address: r.address})-[:RESOLVED_TO]->(q:Person)
  WHERE q <> p
  RETURN q, 'address' AS evidence
}
WITH p, q, collect(DISTINCT evidence) AS evidence
WITH CASE WHEN p.oneId < q.oneId THEN p ELSE q END AS a, CASE WHEN p.oneId < q.oneId THEN q ELSE p END AS b, evidence
MERGE (a)-[h:SAME_HOUSEHOLD]->(b)
SET h.evidence = evidence, h.runId = $runId, h.at = $at
RETURN count(DISTINCT h) AS households
