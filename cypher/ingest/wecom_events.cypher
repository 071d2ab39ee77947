// WeCom interaction events: who did what, when, on which material or event group.
UNWIND $rows AS row
MERGE (r:CustomerRecord {key: row.customer_key})
  ON CREATE SET r.system = 'wecom', r.sourceId = row.external_userid, r.stub = true
MERGE (e:Event {eventId: row.event_id})
SET e.type = row.type, e.at = row.at, e.channel = row.channel
MERGE (r)-[:PERFORMED]->(e)
FOREACH (_ IN CASE WHEN row.material_id IS NULL THEN [] ELSE [1] END |
  MERGE (m:Material {materialId: row.material_id})
  MERGE (e)-[:ON]->(m)
)
FOREACH (_ IN CASE WHEN row.group_id IS NULL THEN [] ELSE [1] END |
  MERGE (g:EventGroup {groupId: row.group_id})
  MERGE (e)-[:ON]->(g)
)
