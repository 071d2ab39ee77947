// Event intake: store chat messages idempotently by message id (as ingest/chat_messages does); only
// messages this call created are returned, so keyword tags run once per message.
// $intakeId, $rows [{eventId, at, customerKey, externalUserId, advisorId, direction, text}]
UNWIND $rows AS row
MERGE (m:ChatMessage {messageId: row.eventId})
  ON CREATE SET m.direction = row.direction, m.text = row.text, m.at = row.at, m.intakeId = $intakeId
WITH row, m WHERE m.intakeId = $intakeId
MERGE (r:CustomerRecord {key: row.customerKey})
  ON CREATE SET r.system = 'wecom', r.sourceId = row.externalUserId, r.stub = true
MERGE (a:Advisor {advisorId: row.advisorId})
CREATE (m)-[:WITH_CUSTOMER]->(r)
CREATE (m)-[:WITH_ADVISOR]->(a)
RETURN row.eventId AS eventId
