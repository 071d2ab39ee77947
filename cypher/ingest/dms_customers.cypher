// DMS sales customers: one CustomerRecord each, with phone, ID document (hash + mask), dealer, advisor.
UNWIND $rows AS row
MERGE (r:CustomerRecord {key: row.record.key})
SET r += row.record
REMOVE r.stub
FOREACH (_ IN CASE WHEN row.phone IS NULL THEN [] ELSE [1] END |
  MERGE (p:Phone {e164: row.phone.e164})
    ON CREATE SET p.masked = row.phone.masked, p.mobile = row.phone.mobile
  MERGE (r)-[:HAS_PHONE]->(p)
)
FOREACH (_ IN CASE WHEN row.idDocument IS NULL THEN [] ELSE [1] END |
  MERGE (i:IdDocument {hash: row.idDocument.hash})
    ON CREATE SET i.masked = row.idDocument.masked, i.kind = row.idDocument.kind
  MERGE (r)-[:HAS_ID]->(i)
)
FOREACH (_ IN CASE WHEN row.dealerId IS NULL THEN [] ELSE [1] END |
  MERGE (d:Dealer {dealerId: row.dealerId})
  MERGE (r)-[:CUSTOMER_OF]->(d)
)
FOREACH (_ IN CASE WHEN row.advisorId IS NULL THEN [] ELSE [1] END |
  MERGE (a:Advisor {advisorId: row.advisorId})
  MERGE (r)-[:SERVED_BY]->(a)
)
