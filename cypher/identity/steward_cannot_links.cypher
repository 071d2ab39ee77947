// Standing cannot_link decisions between two sets of records: what a merge of the two would break.
// $left, $right: record keys
UNWIND $left AS leftKey
MATCH (:CustomerRecord {key: leftKey})<-[:BETWEEN]-(d:MatchDecision {kind: 'cannot_link'})-[:BETWEEN]->(y:CustomerRecord)
WHERE y.key IN $right
RETURN d.id AS id, leftKey AS a, y.key AS b
ORDER BY a, b
