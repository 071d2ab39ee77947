// Lead-platform leads: each lead is a source record; identifiers (phone, device, unionid) hang off it.
UNWIND $rows AS row
MERGE (r:CustomerRecord {key: row.record.key})
SET r += row.record
REMOVE r.stub
MERGE (l:Lead {leadId: row.lead_id})
SET l.stage = row.stage, l.channel = row.channel, l.createdAt = row.created_at, l.budgetYuan = row.budget_yuan
MERGE (r)-[:HAS_LEAD]->(l)
MERGE (c:Channel {code: row.channel})
MERGE (l)-[:VIA]->(c)
WITH r, l, row
CALL (r, row) {
  WITH * WHERE row.phone IS NOT NULL
  MERGE (p:Phone {e164: row.phone.e164})
    ON CREATE SET p.masked = row.phone.masked, p.mobile = row.phone.mobile
  MERGE (r)-[:HAS_PHONE]->(p)
}
CALL (l, row) {
  WITH * WHERE row.model IS NOT NULL
  MERGE (vm:VehicleModel {code: row.model})
  MERGE (l)-[:INTERESTED_IN]->(vm)
}
CALL (l, row) {
  WITH * WHERE row.dealer_id IS NOT NULL
  MERGE (d:Dealer {dealerId: row.dealer_id})
  MERGE (l)-[:AT_DEALER]->(d)
}
CALL (l, row) {
  WITH * WHERE row.advisor_id IS NOT NULL
  MERGE (a:Advisor {advisorId: row.advisor_id})
  MERGE (l)-[:ASSIGNED_TO]->(a)
}
CALL (r, row) {
  WITH * WHERE row.device_id IS NOT NULL
  MERGE (dev:Device {deviceId: row.device_id})
  MERGE (r)-[:USES_DEVICE]->(dev)
}
CALL (r, row) {
  WITH * WHERE row.unionid IS NOT NULL
  MERGE (w:WeChatAccount {unionId: row.unionid})
  MERGE (r)-[:HAS_WECHAT]->(w)
}
