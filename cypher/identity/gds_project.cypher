// GDS projection for WCC: records linked by MATCHES {decision: 'link'} or by a steward must_link
// decision (undirected), among the records being resolved ($keys, all when null). Records with no link
// are not projected: they are their own cluster. Dropped again after every run.
CALL () {
  MATCH (a:CustomerRecord)-[:MATCHES {decision: 'link'}]->(b:CustomerRecord)
  WHERE $keys IS NULL OR (a.key IN $keys AND b.key IN $keys)
  RETURN a, b
  UNION
  MATCH (a:CustomerRecord)<-[:BETWEEN]-(:MatchDecision {kind: 'must_link'})-[:BETWEEN]->(b:CustomerRecord)
  WHERE a.key < b.key AND ($keys IS NULL OR (a.key IN $keys AND b.key IN $keys))
  RETURN a, b
}
RETURN gds.graph.project($graphName, a, b, {}, {undirectedRelationshipTypes: ['*']}) AS g
