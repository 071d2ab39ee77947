// What a merge names: each ref is a record key or a One ID (then its first record stands for it),
// with the person the record belongs to now and that person's records.
// $refs: ['dms:C0000001', 'OID-…']
UNWIND $refs AS ref
OPTIONAL MATCH (named:CustomerRecord {key: ref})
OPTIONAL MATCH (q:Person {oneId: ref})
WITH ref, coalesce(named.key,
       head(COLLECT { MATCH (x:CustomerRecord)-[:RESOLVED_TO]->(q) RETURN x.key ORDER BY x.key LIMIT 1 })) AS key
OPTIONAL MATCH (:CustomerRecord {key: key})-[:RESOLVED_TO]->(p:Person)
RETURN ref, key, p.oneId AS oneId,
       CASE WHEN p IS NULL THEN [key]
            ELSE COLLECT { MATCH (y:CustomerRecord)-[:RESOLVED_TO]->(p) RETURN y.key ORDER BY y.key } END AS personKeys
