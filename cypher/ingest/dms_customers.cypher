// DMS sales customers: one CustomerRecord each, with phone, ID document (hash + mask), dealer, advisor.
UNWIND $rows AS row
MERGE (r:CustomerRecord {key: row.record.key})
SET r += row.record
REMOVE r.stub
WITH r, row
CALL (r, row) {
  WITH * WHERE row.phone IS NOT NULL
  MERGE (p:Phone {e164: row.phone.e164})
    ON CREATE SET p.masked = row.phone.masked, p.mobile = row.phone.mobile
  MERGE (r)-[:HAS_PHONE]->(p)
}
CALL (r, row) {
  WITH * WHERE row.idDocument IS NOT NULL
  MERGE (i:IdDocument {hash: row.idDocument.hash})
    ON CREATE SET i.masked = row.idDocument.masked, i.kind = row.idDocument.kind
  MERGE (r)-[:HAS_ID]->(i)
}
CALL (r, row) {
  WITH * WHERE row.dealerId IS NOT NULL
  MERGE (d:Dealer {dealerId: row.dealerId})
  MERGE (r)-[:CUSTOMER_OF]->(d)
}
CALL (r, row) {
  WITH * WHERE row.advisorId IS NOT NULL
  MERGE (a:Advisor {advisorId: row.advisorId})
  MERGE (r)-[:SERVED_BY]->(a)
}
