// WeCom chat messages between a customer record and an advisor (input to keyword tags).
// Messages are immutable and keyed by message id: known ids are skipped, new ones CREATEd.
UNWIND $rows AS row
OPTIONAL MATCH (known:ChatMessage {messageId: row.message_id})
WITH row WHERE known IS NULL
MERGE (r:CustomerRecord {key: row.customer_key})
  ON CREATE SET r.system = 'wecom', r.sourceId = row.external_userid, r.stub = true
MERGE (a:Advisor {advisorId: row.advisor_id})
CREATE (m:ChatMessage {messageId: row.message_id, direction: row.direction, text: row.text, at: row.at})
CREATE (m)-[:WITH_CUSTOMER]->(r)
CREATE (m)-[:WITH_ADVISOR]->(a)
