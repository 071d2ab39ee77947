// Review cases with the evidence side by side: the records (name, system, city, masked identifiers, the
// person each belongs to now), the MATCHES among them (score, decision, evidence JSON) and the steward
// decisions already standing between them.
// $caseIds
UNWIND $caseIds AS caseId
MATCH (c:ReviewCase {caseId: caseId})
WITH caseId, c, COLLECT { MATCH (c)-[:CONCERNS]->(r:CustomerRecord) RETURN r ORDER BY r.key } AS records
RETURN caseId, c {.*} AS case,
  [r IN records | r {.key, .system, .sourceId, .name, .city, .gender, .birthDate, .createdAt,
    oneId: head([(r)-[:RESOLVED_TO]->(p:Person) | p.oneId]),
    phones: [(r)-[:HAS_PHONE]->(ph:Phone) | ph.masked],
    idDocuments: [(r)-[:HAS_ID]->(i:IdDocument) | i.masked]}] AS records,
  COLLECT { UNWIND records AS a
            MATCH (a)-[m:MATCHES]->(b:CustomerRecord) WHERE b IN records
            RETURN m {a: a.key, b: b.key, .score, .decision, .evidence, .runId, .at} ORDER BY m.score DESC } AS matches,
  COLLECT { UNWIND records AS a
            MATCH (a)<-[:BETWEEN]-(d:MatchDecision)-[:BETWEEN]->(b:CustomerRecord)
            WHERE b IN records AND a.key < b.key
            RETURN d {.id, .kind, .reason, .actor, .at, .caseId, a: a.key, b: b.key} ORDER BY d.id } AS decisions
