// Lead-platform leads: each lead is a source record; identifiers (phone, device, unionid) hang off it.
UNWIND $rows AS row
MERGE (r:CustomerRecord {key: row.record.key})
SET r += row.record
REMOVE r.stub
MERGE (l:Lead {leadId: row.lead_id})
SET l.stage = row.stage, l.channel = row.channel, l.createdAt = row.created_at, l.budgetYuan = row.budget_yuan,
    l.city = row.city
MERGE (r)-[:HAS_LEAD]->(l)
MERGE (c:Channel {code: row.channel})
MERGE (l)-[:VIA]->(c)
FOREACH (_ IN CASE WHEN row.phone IS NULL THEN [] ELSE [1] END |
  MERGE (p:Phone {e164: row.phone.e164})
    ON CREATE SET p.masked = row.phone.masked, p.mobile = row.phone.mobile
  MERGE (r)-[:HAS_PHONE]->(p)
)
FOREACH (_ IN CASE WHEN row.model IS NULL THEN [] ELSE [1] END |
  MERGE (vm:VehicleModel {code: row.model})
  MERGE (l)-[:INTERESTED_IN]->(vm)
)
FOREACH (_ IN CASE WHEN row.dealer_id IS NULL THEN [] ELSE [1] END |
  MERGE (d:Dealer {dealerId: row.dealer_id})
  MERGE (l)-[:AT_DEALER]->(d)
)
FOREACH (_ IN CASE WHEN row.advisor_id IS NULL THEN [] ELSE [1] END |
  MERGE (a:Advisor {advisorId: row.advisor_id})
  MERGE (l)-[:ASSIGNED_TO]->(a)
)
FOREACH (_ IN CASE WHEN row.device_id IS NULL THEN [] ELSE [1] END |
  MERGE (dev:Device {deviceId: row.device_id})
  MERGE (r)-[:USES_DEVICE]->(dev)
)
FOREACH (_ IN CASE WHEN row.unionid IS NULL THEN [] ELSE [1] END |
  MERGE (w:WeChatAccount {unionId: row.unionid})
  MERGE (r)-[:HAS_WECHAT]->(w)
)
