// Forget the pair evidence among the records being resolved (all when $keys is null); rewritten below.
MATCH (a:CustomerRecord)-[m:MATCHES]->(b:CustomerRecord)
WHERE $keys IS NULL OR (a.key IN $keys AND b.key IN $keys)
CALL (m) { DELETE m } IN TRANSACTIONS OF 20000 ROWS
