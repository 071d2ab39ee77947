// Incremental run: records not yet resolved, every record they share a trustworthy identifier or an
// uncommon name (≤ $maxNameRecords records) with, and all records of the persons those belong to (so a
// person is always re-clustered whole).
MATCH (r:CustomerRecord)
WHERE NOT EXISTS { (r)-[:RESOLVED_TO]->(:Person) }
CALL (r) {
  MATCH (r)-[:HAS_PHONE|HAS_ID|USES_DEVICE|HAS_WECHAT|OWNS]->(x)<-[:HAS_PHONE|HAS_ID|USES_DEVICE|HAS_WECHAT|OWNS]-(n:CustomerRecord)
  WHERE NOT coalesce(x.suspect, false)
  RETURN n
  UNION
  MATCH (n:CustomerRecord {namePinyin: r.namePinyin})
  WHERE size(r.namePinyin) >= 4 AND COUNT { (:CustomerRecord {namePinyin: r.namePinyin}) } <= $maxNameRecords
  RETURN n
  UNION
  RETURN r AS n
}
WITH DISTINCT n
OPTIONAL MATCH (n)-[:RESOLVED_TO]->(:Person)<-[:RESOLVED_TO]-(m:CustomerRecord)
WITH n, collect(m.key) AS others
UNWIND [n.key] + others AS key
RETURN DISTINCT key
