// One review case as a steward decision needs it: its state and the records it concerns.
// $caseId
MATCH (c:ReviewCase {caseId: $caseId})
RETURN c {.caseId, .kind, .status, .decision} AS case,
       COLLECT { MATCH (c)-[:CONCERNS]->(r:CustomerRecord) RETURN r.key ORDER BY r.key } AS keys
