// The person each record resolves to, and how: what an analyst checks after a run.
MATCH (r:CustomerRecord)-[l:RESOLVED_TO]->(p:Person)
RETURN r.key AS key, p.oneId AS oneId, l.method AS method, l.score AS score, l.runId AS runId
ORDER BY key
