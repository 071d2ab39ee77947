// The resolved customer (Person) a source record belongs to, with the link's provenance.
// $keys
UNWIND $keys AS key
MATCH (:CustomerRecord {key: key})-[l:RESOLVED_TO]->(p:Person)
RETURN key, p.oneId AS oneId, l {.method, .score, .runId, .at} AS link
