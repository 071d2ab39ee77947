// A case's neighbourhood for the steward's picture: its records with the person each is resolved to,
// their identifiers, and up to $perIdentifier other records carrying each identifier.
// $caseIds, $perIdentifier
UNWIND $caseIds AS caseId
MATCH (c:ReviewCase {caseId: caseId})-[:CONCERNS]->(r:CustomerRecord)
WITH caseId, collect(r) AS caseRecords
CALL {
  WITH caseRecords
  UNWIND caseRecords AS r
  MATCH (r)-[rel:HAS_PHONE|HAS_ID|USES_DEVICE|HAS_WECHAT]->(i)
  RETURN collect(DISTINCT i) AS identifiers, collect({source: r.key, target: elementId(i), type: type(rel)}) AS own
}
CALL {
  WITH caseRecords, identifiers
  UNWIND identifiers AS i
  CALL {
    WITH i, caseRecords
    MATCH (i)<-[rel:HAS_PHONE|HAS_ID|USES_DEVICE|HAS_WECHAT]-(o:CustomerRecord)
    WHERE NOT o IN caseRecords
    RETURN o, rel ORDER BY o.key LIMIT $perIdentifier
  }
  RETURN collect(DISTINCT o) AS others, collect({source: o.key, target: elementId(i), type: type(rel)}) AS sharing
}
RETURN caseId,
  [rec IN caseRecords + others | {key: rec.key, inCase: rec IN caseRecords, name: rec.name, system: rec.system,
                                  oneId: head([(rec)-[:RESOLVED_TO]->(p:Person) | p.oneId])}] AS records,
  [i IN identifiers | {id: elementId(i), label: head(labels(i)), masked: i.masked,
                       raw: coalesce(i.deviceId, i.unionId), suspect: coalesce(i.suspect, false),
                       records: COUNT { (i)<-[:HAS_PHONE|HAS_ID|USES_DEVICE|HAS_WECHAT]-(:CustomerRecord) }}] AS identifiers,
  own + sharing AS relationships
