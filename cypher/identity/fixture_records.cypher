// Plain records with their identifiers (and, when given, the dealers and advisors they deal with): test fixtures
// and the FEBRL data (the loaders do this for real data).
UNWIND $rows AS row
MERGE (r:CustomerRecord {key: row.key})
SET r.system = row.system, r.sourceId = row.key, r.name = row.name, r.namePinyin = row.pinyin, r.address = row.address,
    r.postcode = row.postcode,
    r.city = row.city, r.gender = row.gender,
    r.birthDate = CASE WHEN row.birthDate IS NULL THEN null ELSE date(row.birthDate) END
FOREACH (v IN row.phones | MERGE (x:Phone {e164: v}) MERGE (r)-[:HAS_PHONE]->(x))
FOREACH (i IN range(0, size(row.ids) - 1) |  // row.idNear[i]: the one-edit keys of row.ids[i], when given
  MERGE (x:IdDocument {hash: row.ids[i]}) SET x.nearKeys = coalesce(row.idNear[i], x.nearKeys)
  MERGE (r)-[:HAS_ID]->(x))
FOREACH (v IN row.devices | MERGE (x:Device {deviceId: v}) MERGE (r)-[:USES_DEVICE]->(x))
FOREACH (v IN row.wechats | MERGE (x:WeChatAccount {unionId: v}) MERGE (r)-[:HAS_WECHAT]->(x))
FOREACH (v IN row.vins | MERGE (x:Vehicle {vin: v}) MERGE (r)-[:OWNS]->(x))
FOREACH (v IN coalesce(row.dealers, []) | MERGE (x:Dealer {dealerId: v}) MERGE (r)-[:CUSTOMER_OF]->(x))
FOREACH (v IN coalesce(row.advisors, []) | MERGE (x:Advisor {advisorId: v}) MERGE (r)-[:SERVED_BY]->(x))
