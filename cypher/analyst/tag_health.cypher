// Tag health across the whole graph (`carkg tags health` shows the same figures): per tag, live coverage,
// customer records covered and their share, share expired (of assignments not removed), confidence spread,
// persons whose records carry conflicting values, and when it last changed.
// :param minLive => 0
MATCH (rec:CustomerRecord)
WITH count(rec) AS allRecords
MATCH (t:Tag)
CALL (t) {
  OPTIONAL MATCH (ta:TagAssignment {tagCode: t.code})
  WITH ta, ta.removedAt IS NULL AND (ta.expiresAt IS NULL OR ta.expiresAt > datetime()) AS live
  RETURN count(CASE WHEN live THEN ta END) AS live,
         count(CASE WHEN ta.removedAt IS NULL AND NOT live THEN ta END) AS expired,
         min(CASE WHEN live THEN ta.confidence END) AS confMin,
         round(avg(CASE WHEN live THEN ta.confidence END), 3) AS confAvg,
         max(CASE WHEN live THEN ta.confidence END) AS confMax,
         percentileCont(CASE WHEN live THEN ta.confidence END, 0.1) AS confP10,
         percentileCont(CASE WHEN live THEN ta.confidence END, 0.9) AS confP90,
         max(ta.at) AS lastAssigned
}
CALL (t) {
  OPTIONAL MATCH (ta:TagAssignment {tagCode: t.code})-[:TAGS|TAGS_FROM]->(r:CustomerRecord)
  WHERE ta.removedAt IS NULL AND (ta.expiresAt IS NULL OR ta.expiresAt > datetime())
  RETURN count(DISTINCT r) AS records
}
CALL (t) {
  OPTIONAL MATCH (ta:TagAssignment {tagCode: t.code, targetKind: 'node'})-[:TAGS]->(:CustomerRecord)
                 -[:RESOLVED_TO]->(p:Person)
  WHERE ta.removedAt IS NULL AND (ta.expiresAt IS NULL OR ta.expiresAt > datetime()) AND ta.value IS NOT NULL
  WITH p, count(DISTINCT ta.value) AS n
  RETURN count(CASE WHEN n > 1 THEN p END) AS conflictingPersons
}
WITH *
WHERE live >= $minLive
RETURN t.code AS tag, t.scope AS scope, live, records,
       CASE WHEN allRecords = 0 THEN null ELSE round(100.0 * records / allRecords, 1) END AS coveragePct,
       CASE WHEN live + expired = 0 THEN null ELSE round(100.0 * expired / (live + expired), 1) END AS expiredPct,
       confMin, confAvg, confMax, confP10, confP90, conflictingPersons, lastAssigned
ORDER BY live DESC, tag
