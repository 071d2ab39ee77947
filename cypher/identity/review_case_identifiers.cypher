// The identifiers of each case's records, with how widely each is shared: the case records that carry it,
// and how many records and persons carry it in the whole graph (a phone on 40 persons is a front desk,
// not evidence). Device and WeChat values come raw and are masked by the caller.
// $caseIds
UNWIND $caseIds AS caseId
MATCH (c:ReviewCase {caseId: caseId})-[:CONCERNS]->(r:CustomerRecord)
MATCH (r)-[:HAS_PHONE|HAS_ID|USES_DEVICE|HAS_WECHAT]->(i)
WITH caseId, i, collect(DISTINCT r.key) AS inCase
RETURN caseId, collect({
  id: elementId(i), label: head(labels(i)), masked: i.masked, raw: coalesce(i.deviceId, i.unionId),
  suspect: coalesce(i.suspect, false), suspectReason: i.suspectReason, caseRecordKeys: inCase,
  records: COUNT { (i)<-[:HAS_PHONE|HAS_ID|USES_DEVICE|HAS_WECHAT]-(:CustomerRecord) },
  persons: COUNT { MATCH (i)<-[:HAS_PHONE|HAS_ID|USES_DEVICE|HAS_WECHAT]-(:CustomerRecord)-[:RESOLVED_TO]->(p:Person)
                   RETURN DISTINCT p }
}) AS identifiers
