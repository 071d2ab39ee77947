// Tag one customer record. Assigning the same tag again updates the assignment, never duplicates it.
// $key, $tag {code, value, source, actor, confidence, at, expiresAt, evidence}
MATCH (r:CustomerRecord {key: $key})
MERGE (t:Tag {code: $tag.code})
MERGE (ta:TagAssignment {id: 'CustomerRecord|' + $key + '|' + $tag.code})
SET ta += $tag, ta.tagCode = $tag.code, ta.targetKind = 'node', ta.removedAt = null
MERGE (ta)-[:OF_TAG]->(t)
MERGE (ta)-[:TAGS]->(r)
RETURN ta {.*} AS assignment
