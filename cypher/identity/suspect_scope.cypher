// Incremental run: identifiers that this run's hygiene just marked suspect (suspectAt = $at) may have been
// the only link between records of one person; their records, and every record of those records' persons,
// are re-resolved so that such a link is taken back (or sent to review) instead of surviving.
// :param at => datetime()
MATCH (x)<-[:HAS_PHONE|HAS_ID|USES_DEVICE|HAS_WECHAT]-(r:CustomerRecord)
WHERE x.suspectAt = $at
OPTIONAL MATCH (r)-[:RESOLVED_TO]->(:Person)<-[:RESOLVED_TO]-(m:CustomerRecord)
WITH r, collect(m.key) AS others
UNWIND [r.key] + others AS key
RETURN DISTINCT key
