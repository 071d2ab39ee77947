// For resolved customers: the MATCHES evidence among their records and the suspect identifiers their
// records carry (kept out of One ID links; shown so a steward sees why).
// $oneIds
UNWIND $oneIds AS oneId
MATCH (p:Person {oneId: oneId})
WITH oneId, COLLECT { MATCH (r:CustomerRecord)-[:RESOLVED_TO]->(p) RETURN r } AS records
RETURN oneId,
  COLLECT { UNWIND records AS a
            MATCH (a)-[m:MATCHES]->(b:CustomerRecord) WHERE b IN records
            RETURN m {a: a.key, b: b.key, .score, .decision, .evidence, .runId, .at} ORDER BY m.score DESC } AS matches,
  COLLECT { UNWIND records AS r
            MATCH (r)-[:HAS_PHONE|HAS_ID|USES_DEVICE|HAS_WECHAT]->(i)
            WHERE i.suspect = true
            WITH i, collect(r.key) AS keys
            RETURN i {id: elementId(i), label: head(labels(i)), .masked, .mobile, .kind, .deviceId, .platform,
                      .unionId, .suspect, .suspectReason, records: keys} } AS suspects
