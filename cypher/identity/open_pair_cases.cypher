// Open pair cases whose records are all being resolved (all when $keys is null): a run drops the ones
// whose pair has left the review band (now linked, or now below it), so the queue holds live questions.
MATCH (c:ReviewCase {kind: 'pair', status: 'open'})-[:CONCERNS]->(r:CustomerRecord)
WHERE $keys IS NULL OR r.key IN $keys
WITH c, count(r) AS inScope
WHERE inScope = COUNT { (c)-[:CONCERNS]->() }
RETURN c.caseId AS caseId
