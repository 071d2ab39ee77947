// Event intake: what rules and alerts need about each customer with new events — the advisors who serve
// them (SERVED_BY, or ASSIGNED_TO on their leads), their dealers (for dealer-scope rules) and their stored
// events with each target's properties (most recent first; counts for repeated behaviour come from these).
// A stored event's time comes as epoch seconds and nanoseconds: rules only compare times, and plain integers
// cost the intake far less to read than a thousand zoned date-times per customer.
// $keys, $historyLimit
UNWIND $keys AS key
MATCH (r:CustomerRecord {key: key})
RETURN r.key AS key, r.name AS name,
  [(r)-[:SERVED_BY]->(a:Advisor) | a.advisorId] +
    [(r)-[:HAS_LEAD]->(:Lead)-[:ASSIGNED_TO]->(a:Advisor) | a.advisorId] AS advisors,
  [(r)-[:CUSTOMER_OF]->(d:Dealer) | d.dealerId] +
    [(r)-[:SERVED_BY]->(:Advisor)-[:WORKS_AT]->(d:Dealer) | d.dealerId] AS dealers,
  COLLECT {
    MATCH (r)-[:PERFORMED]->(e:Event)
    WITH e ORDER BY e.at DESC LIMIT $historyLimit
    OPTIONAL MATCH (e)-[:ON]->(m:Material)
    OPTIONAL MATCH (e)-[:ON]->(g:EventGroup)
    RETURN e {.eventId, .type, atSeconds: e.at.epochSeconds, atNanos: e.at.nanosecond, .channel,
              material: CASE WHEN m IS NULL THEN null ELSE
                m {id: m.materialId, .kind, .title, model: head([(m)-[:FEATURES]->(vm) | vm.code])} END,
              group: CASE WHEN g IS NULL THEN null ELSE g {id: g.groupId, .campaign, .name} END}
  } AS history
