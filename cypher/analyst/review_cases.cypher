// The One ID review queue as stewards see it on /steward: open cases riskiest first, with their records.
// :param limit => 20
MATCH (c:ReviewCase {status: 'open'})
RETURN c.caseId AS case, c.kind AS kind, c.risk AS risk, c.score AS score, c.reason AS reason,
       COLLECT { MATCH (c)-[:CONCERNS]->(r:CustomerRecord) RETURN r.key + ' ' + coalesce(r.name, '?') } AS records
ORDER BY risk DESC, score DESC, case
LIMIT toInteger($limit)
