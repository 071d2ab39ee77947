// The stored events and inbound chat messages of these customer records, shaped as event intake receives
// them, oldest first; and the ENGAGED_WITH {count, lastAt} relationships intake would have kept for their
// material events (the rules tag those relationships).
// :param keys => ['wecom:wm0000001']
UNWIND $keys AS key
MATCH (r:CustomerRecord {key: key})
CALL (r) {
  MATCH (r)-[:PERFORMED]->(e:Event)-[:ON]->(m:Material)
  WITH r, m, count(e) AS n, max(e.at) AS last
  MERGE (r)-[w:ENGAGED_WITH]->(m)
  SET w.count = n, w.lastAt = last
  RETURN count(*) AS engaged
}
CALL (r) {
  MATCH (r)-[:PERFORMED]->(e:Event)
  OPTIONAL MATCH (e)-[:ON]->(t)
  RETURN {eventId: e.eventId, type: e.type, at: e.at, channel: e.channel,
          targetId: coalesce(t.materialId, t.groupId)} AS item
  UNION ALL
  MATCH (m:ChatMessage {direction: 'in'})-[:WITH_CUSTOMER]->(r)
  MATCH (m)-[:WITH_ADVISOR]->(a:Advisor)
  RETURN {eventId: m.messageId, type: 'chat_message', at: m.at, direction: m.direction, text: m.text,
          advisorId: a.advisorId} AS item
}
WITH key, item ORDER BY item.at
RETURN key, collect(item) AS items
