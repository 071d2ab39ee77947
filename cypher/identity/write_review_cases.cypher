// Review cases: one per pair in the review band or per unresolvable conflict; caseId is derived from the
// record keys, so a re-run updates the open case instead of adding another. Decided cases are left alone.
UNWIND $rows AS row
MERGE (c:ReviewCase {caseId: row.caseId})
  ON CREATE SET c.kind = row.kind, c.status = 'open', c.createdAt = $at
WITH c, row
WHERE c.status = 'open'
SET c.score = row.score, c.risk = row.risk, c.reason = row.reason, c.runId = $runId
WITH c, row
UNWIND row.keys AS key
MATCH (r:CustomerRecord {key: key})
MERGE (c)-[:CONCERNS]->(r)
