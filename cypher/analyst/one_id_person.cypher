// One ID: the person with the most source records, with each record, how it was linked (method and
// score on RESOLVED_TO) and the identifiers that tie the records together. Switch to the graph view.
MATCH (p:Person)
WITH p ORDER BY p.recordCount DESC, p.oneId LIMIT 1
MATCH path = (p)<-[:RESOLVED_TO]-(r:CustomerRecord)
OPTIONAL MATCH ids = (r)-[:HAS_PHONE|HAS_ID|USES_DEVICE|HAS_WECHAT]->()
RETURN path, ids
