// Advisors that carry one of the flag tags $codes now (so a re-derive can take off those that no longer hold).
// $codes
MATCH (ta:TagAssignment)-[:TAGS]->(a:Advisor)
WHERE ta.tagCode IN $codes AND ta.removedAt IS NULL AND (ta.expiresAt IS NULL OR ta.expiresAt > datetime())
RETURN a.advisorId AS advisorId, ta.tagCode AS code
