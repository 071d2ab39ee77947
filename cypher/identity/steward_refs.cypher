// What a merge names: each ref is a record key or a One ID (then its first record stands for it),
// with the person the record belongs to now, that person's records, and the record's trusted (not
// suspect) ID documents: the identity run never keeps two records with different ones together.
// $refs: ['dms:C0000001', 'OID-…']
UNWIND $refs AS ref
OPTIONAL MATCH (named:CustomerRecord {key: ref})
OPTIONAL MATCH (q:Person {oneId: ref})
WITH ref, coalesce(named.key,
       head(COLLECT { MATCH (x:CustomerRecord)-[:RESOLVED_TO]->(q) RETURN x.key ORDER BY x.key LIMIT 1 })) AS key
OPTIONAL MATCH (r:CustomerRecord {key: key})
OPTIONAL MATCH (r)-[:RESOLVED_TO]->(p:Person)
RETURN ref, key, p.oneId AS oneId,
       [(r)-[:HAS_ID]->(i:IdDocument) WHERE NOT coalesce(i.suspect, false) | i {.hash, .masked}] AS ids,
       CASE WHEN p IS NULL THEN [key]
            ELSE COLLECT { MATCH (y:CustomerRecord)-[:RESOLVED_TO]->(p) RETURN y.key ORDER BY y.key } END AS personKeys
