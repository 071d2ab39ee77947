// Event intake: store chat messages idempotently by message id (as ingest/chat_messages does). Returned: the
// messages still to be tagged — the ones this call created and any an earlier intake stored but did not live
// to tag (`untagged`, see tags/intake_store_events), so keyword tags run once per message and are not lost.
// $intakeId, $rows [{eventId, at, customerKey, externalUserId, advisorId, direction, text}]
UNWIND $rows AS row
MERGE (m:ChatMessage {messageId: row.eventId})
  ON CREATE SET m.direction = row.direction, m.text = row.text, m.at = row.at, m.intakeId = $intakeId,
                m.untagged = true
WITH row, m
CALL (row, m) {
  WITH row, m WHERE m.intakeId = $intakeId
  MERGE (r:CustomerRecord {key: row.customerKey})
    ON CREATE SET r.system = 'wecom', r.sourceId = row.externalUserId, r.stub = true
  MERGE (a:Advisor {advisorId: row.advisorId})
  CREATE (m)-[:WITH_CUSTOMER]->(r)
  CREATE (m)-[:WITH_ADVISOR]->(a)
}
WITH row, m WHERE m.untagged
RETURN row.eventId AS eventId
