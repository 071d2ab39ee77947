// Steward decisions (must_link / cannot_link between exactly two records); all of them, every run.
MATCH (d:MatchDecision)-[:BETWEEN]->(r:CustomerRecord)
WITH d, collect(r.key) AS keys
WHERE size(keys) = 2
RETURN d.id AS id, d.kind AS kind, keys[0] AS a, keys[1] AS b
