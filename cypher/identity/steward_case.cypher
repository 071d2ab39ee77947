// One review case as a steward decision needs it: its state and the records it concerns. Takes the
// case's write lock first (set and remove a marker), so two stewards deciding the same case at once are
// serialised and the second one reads the case as the first one left it.
// $caseId
MATCH (c:ReviewCase {caseId: $caseId})
SET c._lock = true
REMOVE c._lock
RETURN c {.caseId, .kind, .status, .decision, .reason, .decidedBy, decidedAt: toString(c.decidedAt)} AS case,
       COLLECT { MATCH (c)-[:CONCERNS]->(r:CustomerRecord) RETURN r.key ORDER BY r.key } AS keys
