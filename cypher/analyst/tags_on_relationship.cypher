// Tags on customer–advisor relationships, with provenance. Swap SERVED_BY for OWNS, HAS_LEAD, … .
// :param advisorId => 'A0001'
MATCH (r:CustomerRecord)-[s:SERVED_BY]->(a:Advisor {advisorId: $advisorId})
MATCH (ta:TagAssignment {relType: 'SERVED_BY'})-[:TAGS_FROM]->(r),
      (ta)-[:TAGS_TO]->(a)
WHERE ta.removedAt IS NULL AND (ta.expiresAt IS NULL OR ta.expiresAt > datetime())
RETURN r.key AS customer, r.name AS name, ta.tagCode AS tag, ta.value AS value,
       ta.source AS source, ta.actor AS actor, ta.confidence AS confidence, ta.at AS at, ta.expiresAt AS expires
ORDER BY customer, tag
