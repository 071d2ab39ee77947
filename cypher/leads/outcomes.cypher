// Every lead created in [$since, $asOf) with what became of it: `orderedOn`, the first order the person
// behind the lead — every record One ID resolved to the same customer — placed after the follow-up
// window and within $windowDays of the lead (null: none), and `lost`, the lead system's own verdict.
// The caller takes snapshots of each lead before its outcome and tells open leads apart.
// $since, $asOf, $followUpDays, $windowDays
MATCH (r:CustomerRecord)-[:HAS_LEAD]->(l:Lead)
WHERE l.createdAt >= $since AND l.createdAt < $asOf
WITH r, l, l.createdAt + duration({days: $followUpDays}) AS decisionAt,
     l.createdAt + duration({days: $windowDays}) AS windowEnd
CALL (r) {  // the record and the others of its person (a pattern never uses a relationship twice: o <> r)
  OPTIONAL MATCH (r)-[:RESOLVED_TO]->(:Person)<-[:RESOLVED_TO]-(o:CustomerRecord)
  WITH collect(DISTINCT o) AS others
  RETURN [r] + others AS records
}
RETURN l.leadId AS leadId, l.createdAt AS createdAt, windowEnd, l.stage = 'lost' AS lost,
       COLLECT { UNWIND records AS o
                 MATCH (o)-[:PLACED]->(ord:Order)
                 WHERE ord.date >= date(decisionAt) AND ord.date <= date(windowEnd)
                 RETURN ord.date ORDER BY ord.date LIMIT 1 }[0] AS orderedOn
ORDER BY createdAt, leadId
