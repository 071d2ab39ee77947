// Resolved customers (Person) with the links to their source records (RESOLVED_TO {method, score, runId, at}).
// $oneIds
UNWIND $oneIds AS oneId
MATCH (p:Person {oneId: oneId})
RETURN oneId, p {.oneId, .createdAt, .updatedAt} AS person,
       [(r:CustomerRecord)-[l:RESOLVED_TO]->(p) | l {key: r.key, .method, .score, .runId, .at}] AS links
