// The pair evidence already stored among the records being resolved (all when $keys is null): a run
// rewrites only what changed (same score and decision: the same evidence, kept as it is).
MATCH (a:CustomerRecord)-[m:MATCHES]->(b:CustomerRecord)
WHERE $keys IS NULL OR (a.key IN $keys AND b.key IN $keys)
RETURN id(a) AS a, id(b) AS b, m.score AS score, m.decision AS decision, elementId(m) AS rel
