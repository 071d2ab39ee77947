// Every live tag on one customer record and on its relationships, with provenance.
// :param key => 'dms:C0000001'
MATCH (r:CustomerRecord {key: $key})<-[:TAGS|TAGS_FROM]-(ta:TagAssignment)
WHERE ta.removedAt IS NULL AND (ta.expiresAt IS NULL OR ta.expiresAt > datetime())
OPTIONAL MATCH (ta)-[:TAGS_TO]->(other)
RETURN ta.tagCode AS tag, ta.value AS value, coalesce(ta.relType, '(on the customer)') AS on,
       coalesce(other.name, other.advisorId, other.vin) AS otherEnd,
       ta.source AS source, ta.actor AS actor, ta.confidence AS confidence, ta.at AS at
ORDER BY tag
