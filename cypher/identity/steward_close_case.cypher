// Mark an open review case decided. No row back: the case was decided meanwhile (the caller rolls back).
// $caseId; $decision; $actor; $reason
MATCH (c:ReviewCase {caseId: $caseId})
WHERE c.status = 'open'
SET c.status = 'decided', c.decision = $decision, c.decidedBy = $actor, c.decidedAt = datetime(),
    c.decisionReason = $reason
RETURN c.caseId AS caseId
