// A resolved customer's records, for a split.
// $oneId
MATCH (p:Person {oneId: $oneId})
RETURN p.oneId AS oneId,
       COLLECT { MATCH (r:CustomerRecord)-[:RESOLVED_TO]->(p) RETURN r.key ORDER BY r.key } AS keys
