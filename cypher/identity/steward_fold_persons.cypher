// must_link takes effect at once: the persons of these records fold into the largest one (most records,
// then smallest oneId); the others' records move over with method 'steward', records not yet resolved
// join it too. An emptied person is deleted, or kept with `mergedInto` if anything else points at it.
// No row back when none of the records is resolved yet (the next identity run places them).
// $keys; $runId
UNWIND $keys AS key
MATCH (:CustomerRecord {key: key})-[:RESOLVED_TO]->(p:Person)
WITH DISTINCT p
WITH p, COUNT { (:CustomerRecord)-[:RESOLVED_TO]->(p) } AS records
ORDER BY records DESC, p.oneId
WITH collect(p) AS persons
WHERE size(persons) > 0
WITH head(persons) AS target, tail(persons) AS others, [o IN tail(persons) | o.oneId] AS mergedOneIds
CALL (target) {
  UNWIND $keys AS key
  MATCH (r:CustomerRecord {key: key})
  WHERE NOT EXISTS { (r)-[:RESOLVED_TO]->(:Person) }
  CREATE (r)-[:RESOLVED_TO {method: 'steward', runId: $runId, at: datetime()}]->(target)
  RETURN collect(r.key) AS attached
}
CALL (target, others) {
  UNWIND others AS other
  MATCH (r:CustomerRecord)-[old:RESOLVED_TO]->(other)
  DELETE old
  CREATE (r)-[:RESOLVED_TO {method: 'steward', runId: $runId, at: datetime()}]->(target)
  RETURN collect(r.key) AS moved
}
CALL (target, others) {
  UNWIND others AS other
  SET other.mergedInto = target.oneId, other.recordCount = 0, other.updatedAt = datetime()
  WITH other
  WHERE NOT EXISTS { (other)--() }
  DELETE other
  RETURN count(*) AS deleted
}
SET target.recordCount = COUNT { (:CustomerRecord)-[:RESOLVED_TO]->(target) }, target.updatedAt = datetime()
RETURN target.oneId AS oneId, mergedOneIds, attached + moved AS moved
