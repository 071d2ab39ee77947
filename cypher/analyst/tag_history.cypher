// The history of the tags on one customer record and its relationships: every assignment, update,
// removal and expiry, oldest first — including tags no longer live.
// :param key => 'dms:C0000001'
MATCH (r:CustomerRecord {key: $key})<-[:TAGS|TAGS_FROM]-(ta:TagAssignment)<-[:OF_ASSIGNMENT]-(c:TagChange)
RETURN ta.tagCode AS tag, coalesce(ta.relType, '(on the customer)') AS on, c.action AS action, c.value AS value,
       c.confidence AS confidence, c.source AS source, c.actor AS actor, c.at AS at
ORDER BY at, tag
