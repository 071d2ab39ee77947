// WeCom interaction events: who did what, when, on which material or event group.
UNWIND $rows AS row
MERGE (r:CustomerRecord {key: row.customer_key})
  ON CREATE SET r.system = 'wecom', r.sourceId = row.external_userid, r.stub = true
MERGE (e:Event {eventId: row.event_id})
SET e.type = row.type, e.at = row.at, e.channel = row.channel
MERGE (r)-[:PERFORMED]->(e)
WITH e, row
CALL (e, row) {
  WITH * WHERE row.material_id IS NOT NULL
  MERGE (m:Material {materialId: row.material_id})
  MERGE (e)-[:ON]->(m)
}
CALL (e, row) {
  WITH * WHERE row.group_id IS NOT NULL
  MERGE (g:EventGroup {groupId: row.group_id})
  MERGE (e)-[:ON]->(g)
}
