// Tag health, one row per tag the viewer may see: coverage (targets carrying it live, customer records
// among them, share of all records), freshness (last change), share expired (of assignments not removed),
// confidence spread of live assignments, and persons whose records carry conflicting values.
// Live = removedAt IS NULL AND (expiresAt IS NULL OR expiresAt > datetime()), as everywhere.
// $viewer {admin, advisorId, dealerId}; $codes (null = every tag)
MATCH (t:Tag)
WHERE ($codes IS NULL OR t.code IN $codes)
  AND ($viewer.admin OR coalesce(t.scope, 'oem') = 'oem'
       OR (t.scope = 'dealer' AND t.ownerId = $viewer.dealerId)
       OR (t.scope = 'advisor' AND t.ownerId = $viewer.advisorId))
CALL (t) {
  OPTIONAL MATCH (ta:TagAssignment {tagCode: t.code})
  WITH ta, ta.removedAt IS NULL AND (ta.expiresAt IS NULL OR ta.expiresAt > datetime()) AS live
  RETURN count(CASE WHEN live THEN ta END) AS live,
         count(CASE WHEN ta.removedAt IS NULL AND NOT live THEN ta END) AS expired,
         count(ta) AS everAssigned,
         max(ta.at) AS lastAssignedAt, max(ta.removedAt) AS lastRemovedAt, max(ta.expiredAt) AS lastExpiredAt,
         min(CASE WHEN live THEN ta.confidence END) AS confidenceMin,
         avg(CASE WHEN live THEN ta.confidence END) AS confidenceAvg,
         max(CASE WHEN live THEN ta.confidence END) AS confidenceMax,
         percentileCont(CASE WHEN live THEN ta.confidence END, 0.1) AS confidenceP10,
         percentileCont(CASE WHEN live THEN ta.confidence END, 0.9) AS confidenceP90
}
CALL (t) {
  OPTIONAL MATCH (ta:TagAssignment {tagCode: t.code})-[:TAGS|TAGS_FROM]->(r:CustomerRecord)
  WHERE ta.removedAt IS NULL AND (ta.expiresAt IS NULL OR ta.expiresAt > datetime())
  RETURN count(DISTINCT r) AS customerRecords
}
CALL (t) {
  OPTIONAL MATCH (ta:TagAssignment {tagCode: t.code, targetKind: 'node'})-[:TAGS]->(:CustomerRecord)
                 -[:RESOLVED_TO]->(p:Person)
  WHERE ta.removedAt IS NULL AND (ta.expiresAt IS NULL OR ta.expiresAt > datetime()) AND ta.value IS NOT NULL
  WITH p, count(DISTINCT ta.value) AS distinctValues
  RETURN count(CASE WHEN distinctValues > 1 THEN p END) AS conflictingPersons
}
WITH t, live, expired, everAssigned, customerRecords, conflictingPersons,
     confidenceMin, confidenceAvg, confidenceMax, confidenceP10, confidenceP90,
     reduce(last = null, x IN [lastAssignedAt, lastRemovedAt, lastExpiredAt] |
            CASE WHEN x IS NOT NULL AND (last IS NULL OR x > last) THEN x ELSE last END) AS lastChangeAt
RETURN t.code AS code, t.nameZh AS nameZh, t.nameEn AS nameEn, t.category AS category, t.scope AS scope,
       t.status AS status, live, expired, everAssigned, customerRecords, conflictingPersons,
       CASE WHEN live + expired = 0 THEN null ELSE toFloat(expired) / (live + expired) END AS shareExpired,
       confidenceMin, confidenceAvg, confidenceMax, confidenceP10, confidenceP90, lastChangeAt
ORDER BY code
