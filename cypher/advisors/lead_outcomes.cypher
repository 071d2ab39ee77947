// Each advisor's leads created before $asOf and what became of them as known at $asOf: `converted` = the
// person behind the lead (every record One ID resolved to the same customer) ordered within $windowDays
// of it; `closed` = converted, or its window is over. The lead's stage is not read: the lead system
// overwrites it later, so at a past $asOf it would tell the future.
// $asOf, $windowDays
MATCH (l:Lead)-[:ASSIGNED_TO]->(a:Advisor)
WHERE l.createdAt < $asOf
MATCH (r:CustomerRecord)-[:HAS_LEAD]->(l)
CALL (r) {  // the record and the others of its person (a pattern never uses a relationship twice: o <> r)
  OPTIONAL MATCH (r)-[:RESOLVED_TO]->(:Person)<-[:RESOLVED_TO]-(o:CustomerRecord)
  WITH r, collect(DISTINCT o) AS others
  RETURN [r] + others AS records
}
WITH a, l, records, l.createdAt + duration({days: $windowDays}) AS windowEnd
WITH a, l, windowEnd,
     EXISTS { UNWIND records AS o
              MATCH (o)-[:PLACED]->(ord:Order)
              WHERE ord.date >= date(l.createdAt) AND ord.date <= date(windowEnd) AND ord.date < date($asOf) }
       AS converted
OPTIONAL MATCH (l)-[:INTERESTED_IN]->(m:VehicleModel)
WITH a, converted, converted OR windowEnd <= $asOf AS closed, m
RETURN a.advisorId AS advisorId,
       count(CASE WHEN closed THEN 1 END) AS closed,
       count(CASE WHEN converted THEN 1 END) AS converted,
       [code IN collect(CASE WHEN converted THEN m.code END) WHERE code IS NOT NULL] AS convertedModels,
       [code IN collect(CASE WHEN closed THEN m.code END) WHERE code IS NOT NULL] AS closedModels
