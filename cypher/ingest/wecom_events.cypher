// WeCom interaction events: who did what, when, on which material or event group.
// Events are immutable facts keyed by event id: an id already in the graph is skipped (replays are
// harmless) and new ones are CREATEd.
UNWIND $rows AS row
OPTIONAL MATCH (known:Event {eventId: row.event_id})
WITH row WHERE known IS NULL
MERGE (r:CustomerRecord {key: row.customer_key})
  ON CREATE SET r.system = 'wecom', r.sourceId = row.external_userid, r.stub = true
CREATE (e:Event {eventId: row.event_id, type: row.type, at: row.at, channel: row.channel})
CREATE (r)-[:PERFORMED]->(e)
FOREACH (_ IN CASE WHEN row.material_id IS NULL THEN [] ELSE [1] END |
  MERGE (m:Material {materialId: row.material_id})
  CREATE (e)-[:ON]->(m)
)
FOREACH (_ IN CASE WHEN row.group_id IS NULL THEN [] ELSE [1] END |
  MERGE (g:EventGroup {groupId: row.group_id})
  CREATE (e)-[:ON]->(g)
)
