// WeCom chat messages between a customer record and an advisor (input to keyword tags).
UNWIND $rows AS row
MERGE (r:CustomerRecord {key: row.customer_key})
  ON CREATE SET r.system = 'wecom', r.sourceId = row.external_userid, r.stub = true
MERGE (a:Advisor {advisorId: row.advisor_id})
MERGE (m:ChatMessage {messageId: row.message_id})
SET m.direction = row.direction, m.text = row.text, m.at = row.at
MERGE (m)-[:WITH_CUSTOMER]->(r)
MERGE (m)-[:WITH_ADVISOR]->(a)
