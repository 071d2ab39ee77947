// Leads still open at $asOf: not lost, not won, created within $windowDays, and no order yet by the
// person behind them. Their decision point is now.
// $asOf, $windowDays
MATCH (r:CustomerRecord)-[:HAS_LEAD]->(l:Lead)
WHERE l.createdAt <= $asOf AND l.createdAt > $asOf - duration({days: $windowDays})
  AND NOT l.stage IN ['won', 'lost']
CALL (r) {  // the record and the others of its person (a pattern never uses a relationship twice: o <> r)
  OPTIONAL MATCH (r)-[:RESOLVED_TO]->(:Person)<-[:RESOLVED_TO]-(o:CustomerRecord)
  WITH collect(DISTINCT o) AS others
  RETURN [r] + others AS records
}
WITH l, records
WHERE NOT EXISTS { UNWIND records AS o MATCH (o)-[:PLACED]->(ord:Order) WHERE ord.date >= date(l.createdAt) }
RETURN l.leadId AS leadId, $asOf AS decisionAt
ORDER BY leadId
