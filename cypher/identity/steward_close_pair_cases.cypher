// Open review cases about exactly these two records are answered by a merge: mark them decided too.
// $a, $b: record keys; $decision; $actor; $reason
MATCH (:CustomerRecord {key: $a})<-[:CONCERNS]-(c:ReviewCase {status: 'open'})-[:CONCERNS]->(:CustomerRecord {key: $b})
WHERE COUNT { (c)-[:CONCERNS]->(:CustomerRecord) } = 2
SET c.status = 'decided', c.decision = $decision, c.decidedBy = $actor, c.decidedAt = datetime(),
    c.decisionReason = $reason
RETURN c.caseId AS caseId
