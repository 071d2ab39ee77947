// Analyst: one person's records, how each was resolved, and the pair evidence between them.
// :param oneId => 'P…'
MATCH (p:Person {oneId: $oneId})<-[l:RESOLVED_TO]-(r:CustomerRecord)
OPTIONAL MATCH (r)-[m:MATCHES]->(o:CustomerRecord)
RETURN r.key AS record, r.name AS name, l.method AS method, l.score AS score, l.runId AS run,
       collect(CASE WHEN o IS NULL THEN null ELSE {with: o.key, score: m.score, decision: m.decision,
                                                    evidence: m.evidence} END) AS pairs
ORDER BY record
