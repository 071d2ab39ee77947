// Customer → advisor edges (SERVED_BY) with the advisor's dealer.
// $keys
UNWIND $keys AS key
MATCH (r:CustomerRecord {key: key})
RETURN key, [(r)-[s:SERVED_BY]->(a:Advisor) | {
  since: s.since, source: s.source,
  advisor: a {.advisorId, .name},
  dealer: head([(a)-[:WORKS_AT]->(d:Dealer) | d {.dealerId, .name, .city, brands: [(d)-[:SELLS]->(b:Brand) | b {.code, .name}]}])
}] AS advisors
