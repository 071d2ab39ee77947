// Analyst: open review cases, strongest first, with the records they concern.
MATCH (c:ReviewCase {status: 'open'})-[:CONCERNS]->(r:CustomerRecord)
RETURN c.caseId AS caseId, c.kind AS kind, c.score AS score, c.reason AS reason,
       collect(r.key + ' ' + coalesce(r.name, '')) AS records
ORDER BY kind DESC, score DESC
LIMIT 100
