// GDS projection for WCC: the records being resolved, linked by MATCHES {decision: 'link'} and by
// steward must_link decisions (undirected). Dropped again after every run.
CALL () {
  MATCH (a:CustomerRecord)
  WHERE $keys IS NULL OR a.key IN $keys
  RETURN a, null AS b
  UNION
  MATCH (a:CustomerRecord)-[:MATCHES {decision: 'link'}]->(b:CustomerRecord)
  WHERE $keys IS NULL OR (a.key IN $keys AND b.key IN $keys)
  RETURN a, b
  UNION
  MATCH (a:CustomerRecord)<-[:BETWEEN]-(:MatchDecision {kind: 'must_link'})-[:BETWEEN]->(b:CustomerRecord)
  WHERE a.key < b.key AND ($keys IS NULL OR (a.key IN $keys AND b.key IN $keys))
  RETURN a, b
}
RETURN gds.graph.project($graphName, a, b, {}, {undirectedRelationshipTypes: ['*']}) AS g
