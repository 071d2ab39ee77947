// The open leads of the persons behind these records (every record One ID resolved to the same person;
// the record alone when it is not resolved): what an event for one of them may move. Open as in
// leads/open_leads: not won or lost, created within $windowDays, no order yet by the person.
// $keys: customer record keys; $asOf, $windowDays
UNWIND $keys AS key
MATCH (k:CustomerRecord {key: key})
CALL (k) {  // the record and the others of its person (a pattern never uses a relationship twice: o <> k)
  OPTIONAL MATCH (k)-[:RESOLVED_TO]->(:Person)<-[:RESOLVED_TO]-(o:CustomerRecord)
  WITH collect(DISTINCT o) AS others
  RETURN [k] + others AS records
}
UNWIND records AS r
MATCH (r)-[:HAS_LEAD]->(l:Lead)
WHERE l.createdAt <= $asOf AND l.createdAt > $asOf - duration({days: $windowDays})
  AND NOT l.stage IN ['won', 'lost']
  AND NOT EXISTS { UNWIND records AS o MATCH (o)-[:PLACED]->(ord:Order) WHERE ord.date >= date(l.createdAt) }
RETURN DISTINCT l.leadId AS leadId
ORDER BY leadId
