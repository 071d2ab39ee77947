// A resolved customer's tags: the union over its source records (and any tag on the person itself), one
// row per tag and value, with the records that carry it. Differing values of one tag are a conflict.
// :param oneId => 'OID-0000001'
MATCH (p:Person {oneId: $oneId})
CALL (p) {
  MATCH (p)<-[:RESOLVED_TO]-(r:CustomerRecord)<-[:TAGS|TAGS_FROM]-(ta:TagAssignment)
  RETURN r.key AS via, ta
  UNION
  MATCH (p)<-[:TAGS]-(ta:TagAssignment)
  RETURN '(person)' AS via, ta
}
WITH ta, via
WHERE ta.removedAt IS NULL AND (ta.expiresAt IS NULL OR ta.expiresAt > datetime())
RETURN ta.tagCode AS tag, ta.value AS value, coalesce(ta.relType, '(node)') AS on, collect(DISTINCT via) AS records,
       max(ta.confidence) AS confidence, collect(DISTINCT ta.source) AS sources, max(ta.at) AS lastAt
ORDER BY tag, value
