// The identifiers of customer records, masked (the API never returns a raw phone; raw ID numbers do not exist).
// $keys
UNWIND $keys AS key
MATCH (r:CustomerRecord {key: key})
RETURN key,
  [(r)-[h:HAS_PHONE]->(p:Phone) | p {id: elementId(p), .masked, .mobile, .suspect, .suspectReason, role: h.role}]
    AS phones,
  [(r)-[:HAS_ID]->(i:IdDocument) | i {id: elementId(i), .masked, .kind, .suspect, .suspectReason}] AS idDocuments,
  [(r)-[:USES_DEVICE]->(d:Device) | d {id: elementId(d), .deviceId, .platform, .suspect, .suspectReason}] AS devices,
  [(r)-[:HAS_WECHAT]->(w:WeChatAccount) | w {id: elementId(w), .unionId, .suspect, .suspectReason}] AS wechatAccounts
