// Tag the customer–advisor relationship (e.g. "trusts this advisor").
// A relationship cannot be the end of another relationship in Neo4j, so the assignment node points
// at both ends and names the relationship type; the relationship must exist.
// $key (customer record), $advisorId, $tag {code, value, source, actor, confidence, at, expiresAt, evidence}
MATCH (r:CustomerRecord {key: $key})-[:SERVED_BY]->(a:Advisor {advisorId: $advisorId})
MERGE (t:Tag {code: $tag.code})
MERGE (ta:TagAssignment {id: 'SERVED_BY|' + $key + '|' + $advisorId + '|' + $tag.code})
SET ta += $tag, ta.tagCode = $tag.code, ta.targetKind = 'relationship', ta.relType = 'SERVED_BY',
    ta.removedAt = null
MERGE (ta)-[:OF_TAG]->(t)
MERGE (ta)-[:TAGS_FROM]->(r)
MERGE (ta)-[:TAGS_TO]->(a)
RETURN ta {.*} AS assignment
