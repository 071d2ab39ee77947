// The review queue: case ids, riskiest (or most likely matches) first, filtered; details come per page
// from review_cases. A case belongs to a dealer when one of its records is that dealer's customer, is
// served by one of its advisors, or has a lead there. `reason` matches part of the case's reason text.
// $status, $kind, $minScore, $maxScore, $dealer, $reason (each null to not filter); $orderBy ('risk' or
// 'score'); $skip, $limit
MATCH (c:ReviewCase)
WHERE ($status IS NULL OR c.status = $status) AND ($kind IS NULL OR c.kind = $kind)
  AND ($minScore IS NULL OR c.score >= $minScore) AND ($maxScore IS NULL OR c.score <= $maxScore)
  AND ($reason IS NULL OR toLower(c.reason) CONTAINS toLower($reason))
  AND ($dealer IS NULL OR EXISTS {
        MATCH (c)-[:CONCERNS]->(r:CustomerRecord)
        WHERE EXISTS { (r)-[:CUSTOMER_OF]->(:Dealer {dealerId: $dealer}) }
           OR EXISTS { (r)-[:SERVED_BY]->(:Advisor)-[:WORKS_AT]->(:Dealer {dealerId: $dealer}) }
           OR EXISTS { (r)-[:HAS_LEAD]->(:Lead)-[:AT_DEALER]->(:Dealer {dealerId: $dealer}) } })
RETURN c.caseId AS caseId
ORDER BY CASE WHEN $orderBy = 'risk' THEN coalesce(c.risk, 0.0) END DESC, c.score DESC, c.caseId
SKIP $skip LIMIT $limit
