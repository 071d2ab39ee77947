// WeCom external contacts: the WeChat unionid, the advisor who added them (SERVED_BY), a phone if given.
UNWIND $rows AS row
MERGE (r:CustomerRecord {key: row.record.key})
SET r += row.record
REMOVE r.stub
MERGE (a:Advisor {advisorId: row.advisor_id})
MERGE (r)-[s:SERVED_BY]->(a)
  ON CREATE SET s.since = row.added_at, s.via = 'wecom'
FOREACH (_ IN CASE WHEN row.unionid IS NULL THEN [] ELSE [1] END |
  MERGE (w:WeChatAccount {unionId: row.unionid})
  MERGE (r)-[:HAS_WECHAT]->(w)
)
FOREACH (_ IN CASE WHEN row.phone IS NULL THEN [] ELSE [1] END |
  MERGE (p:Phone {e164: row.phone.e164})
    ON CREATE SET p.masked = row.phone.masked, p.mobile = row.phone.mobile
  MERGE (r)-[:HAS_PHONE]->(p)
)
