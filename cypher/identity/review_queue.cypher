// The review queue: case ids, most likely matches first, filtered; details come per page from review_cases.
// $status, $kind, $minScore, $maxScore (each null to not filter); $skip, $limit
MATCH (c:ReviewCase)
WHERE ($status IS NULL OR c.status = $status) AND ($kind IS NULL OR c.kind = $kind)
  AND ($minScore IS NULL OR c.score >= $minScore) AND ($maxScore IS NULL OR c.score <= $maxScore)
RETURN c.caseId AS caseId
ORDER BY c.score DESC, c.caseId
SKIP $skip LIMIT $limit
