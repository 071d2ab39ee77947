// The trusted (not suspect) ID documents a customer's records carry, masked: more than one after a merge
// means the next identity run may part the records that disagree.
// $oneId
MATCH (:Person {oneId: $oneId})<-[:RESOLVED_TO]-(:CustomerRecord)-[:HAS_ID]->(i:IdDocument)
WHERE NOT coalesce(i.suspect, false)
WITH DISTINCT i
RETURN collect(coalesce(i.masked, '?')) AS masked
