// Incremental run: the records of every steward decision and of the persons they belong to.
MATCH (:MatchDecision)-[:BETWEEN]->(r:CustomerRecord)
OPTIONAL MATCH (r)-[:RESOLVED_TO]->(:Person)<-[:RESOLVED_TO]-(m:CustomerRecord)
WITH r, collect(m.key) AS others
UNWIND [r.key] + others AS key
RETURN DISTINCT key
