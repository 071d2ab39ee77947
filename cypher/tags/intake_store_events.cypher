// Event intake: store interaction events idempotently by event id, as ingest/wecom_events does, and keep
// (:CustomerRecord)-[:ENGAGED_WITH {count, lastAt}]->(:Material) up to date for material events.
// An event id already stored is not touched (`intakeId` marks the rows this call created: MERGE on the unique
// event id decides even between concurrent retries). Returned: the events still to be tagged — the ones this
// call created and any an earlier intake stored but did not live to tag (`untagged`, removed by
// tags/intake_tagged once their tags are written), so a retry after a crash tags them instead of losing them.
// $intakeId, $rows [{eventId, type, at, channel, customerKey, externalUserId, materialId, groupId}]
UNWIND $rows AS row
MERGE (e:Event {eventId: row.eventId})
  ON CREATE SET e.type = row.type, e.at = row.at, e.channel = row.channel, e.intakeId = $intakeId,
                e.untagged = true
WITH row, e
CALL (row, e) {
  WITH row, e WHERE e.intakeId = $intakeId
  MERGE (r:CustomerRecord {key: row.customerKey})
    ON CREATE SET r.system = 'wecom', r.sourceId = row.externalUserId, r.stub = true
  CREATE (r)-[:PERFORMED]->(e)
  FOREACH (_ IN CASE WHEN row.groupId IS NULL THEN [] ELSE [1] END |
    MERGE (g:EventGroup {groupId: row.groupId})
    CREATE (e)-[:ON]->(g)
  )
  WITH row, r, e
  CALL (row, r, e) {
    WITH row WHERE row.materialId IS NOT NULL
    MERGE (m:Material {materialId: row.materialId})
    CREATE (e)-[:ON]->(m)
    MERGE (r)-[ew:ENGAGED_WITH]->(m)
    SET ew.count = COUNT { (r)-[:PERFORMED]->(:Event)-[:ON]->(m) },
        ew.lastAt = CASE WHEN ew.lastAt IS NULL OR row.at > ew.lastAt THEN row.at ELSE ew.lastAt END
  }
}
WITH row, e WHERE e.untagged
RETURN row.eventId AS eventId
