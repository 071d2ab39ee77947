// After `carkg tags apply` has tagged these customer records, stamp their events and inbound chat messages
// so the next apply (every `carkg up`) skips them; only newer ones bring a record back.
// :param keys => ['wecom:wm0000001']
// :param at => datetime()
UNWIND $keys AS key
MATCH (r:CustomerRecord {key: key})
CALL (r) {
  MATCH (r)-[:PERFORMED]->(e:Event) WHERE e.taggedAt IS NULL
  SET e.taggedAt = $at
  RETURN count(e) AS events
}
CALL (r) {
  MATCH (m:ChatMessage {direction: 'in'})-[:WITH_CUSTOMER]->(r) WHERE m.taggedAt IS NULL
  SET m.taggedAt = $at
  RETURN count(m) AS messages
}
RETURN sum(events) AS events, sum(messages) AS messages
