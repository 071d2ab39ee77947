// The history of one assignment (live or not), oldest first: assigned, updated, removed, expired.
// $id
MATCH (:TagAssignment {id: $id})<-[:OF_ASSIGNMENT]-(c:TagChange)
RETURN c {.at, .action, .value, .confidence, .source, .actor} AS change
ORDER BY c.at, elementId(c)
