// Open review cases about exactly one of these record pairs are answered by a merge or a split: mark
// them decided too (decision 'merge' or 'split').
// $pairs: [{a, b}] record keys; $decision; $actor; $reason
UNWIND $pairs AS pair
MATCH (:CustomerRecord {key: pair.a})<-[:CONCERNS]-(c:ReviewCase {status: 'open'})
      -[:CONCERNS]->(:CustomerRecord {key: pair.b})
WHERE COUNT { (c)-[:CONCERNS]->(:CustomerRecord) } = 2
SET c.status = 'decided', c.decision = $decision, c.decidedBy = $actor, c.decidedAt = datetime(),
    c.decisionReason = $reason
RETURN c.caseId AS caseId
ORDER BY caseId
