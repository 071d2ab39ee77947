// Take tags off: the assignment stays (history), gets `removedAt`, and a TagChange 'removed'.
// Only assignments not already removed are touched; the caller reports the others.
// $rows [{id, source, actor, at}]
UNWIND $rows AS row
MATCH (ta:TagAssignment {id: row.id})
WHERE ta.removedAt IS NULL
SET ta.removedAt = row.at
CREATE (c:TagChange {at: row.at, action: 'removed', value: ta.value, confidence: ta.confidence,
                     source: row.source, actor: row.actor})-[:OF_ASSIGNMENT]->(ta)
RETURN row.id AS id, 'removed' AS action
