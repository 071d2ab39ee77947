// Tag relationships of customer records, a batch at a time. The assignment points at both ends
// (TAGS_FROM the record, TAGS_TO the other end) and names the type in `relType`; the relationship must
// exist, rows whose relationship does not exist return nothing (the caller reports them).
// History as for nodes: a TagChange 'assigned' (not live before) or 'updated' (live before and changed);
// 'unchanged' re-assigns add no history.
// $rows [{id, code, relType, startKey, endKey, props {value, source, actor, confidence, at, expiresAt, evidence}}]
UNWIND $rows AS row
CALL (row) {
  WITH row WHERE row.relType = 'SERVED_BY'
  MATCH (s:CustomerRecord {key: row.startKey})-[:SERVED_BY]->(e:Advisor {advisorId: row.endKey}) RETURN s, e
  UNION
  WITH row WHERE row.relType = 'OWNS'
  MATCH (s:CustomerRecord {key: row.startKey})-[:OWNS]->(e:Vehicle {vin: row.endKey}) RETURN s, e
  UNION
  WITH row WHERE row.relType = 'HAS_LEAD'
  MATCH (s:CustomerRecord {key: row.startKey})-[:HAS_LEAD]->(e:Lead {leadId: row.endKey}) RETURN s, e
  UNION
  WITH row WHERE row.relType = 'INTERESTED_IN'
  MATCH (s:CustomerRecord {key: row.startKey})-[:INTERESTED_IN]->(e:VehicleModel {code: row.endKey}) RETURN s, e
  UNION
  WITH row WHERE row.relType = 'ENGAGED_WITH'
  MATCH (s:CustomerRecord {key: row.startKey})-[:ENGAGED_WITH]->(e:Material {materialId: row.endKey}) RETURN s, e
}
MATCH (t:Tag {code: row.code})
MERGE (ta:TagAssignment {id: row.id})
WITH row, s, e, t, ta,
     ta.at IS NOT NULL AND ta.removedAt IS NULL AND (ta.expiresAt IS NULL OR ta.expiresAt > datetime()) AS live,
     [ta.value, ta.confidence, ta.source, ta.expiresAt] AS was,
     [row.props.value, row.props.confidence, row.props.source, row.props.expiresAt] AS given
WITH *, all(i IN range(0, 3) WHERE coalesce(was[i] = given[i], was[i] IS NULL AND given[i] IS NULL)) AS same
WITH row, s, e, t, ta, CASE WHEN NOT live THEN 'assigned' WHEN same THEN 'unchanged' ELSE 'updated' END AS action
SET ta.tagCode = row.code, ta.targetKind = 'relationship', ta.relType = row.relType, ta.value = row.props.value, ta.source = row.props.source,
    ta.actor = row.props.actor, ta.confidence = row.props.confidence, ta.at = row.props.at,
    ta.expiresAt = row.props.expiresAt, ta.evidence = row.props.evidence, ta.removedAt = null, ta.expiredAt = null
MERGE (ta)-[:OF_TAG]->(t)
MERGE (ta)-[:TAGS_FROM]->(s)
MERGE (ta)-[:TAGS_TO]->(e)
FOREACH (_ IN CASE WHEN action = 'unchanged' THEN [] ELSE [1] END |
  CREATE (:TagChange {at: row.props.at, action: action, value: row.props.value, confidence: row.props.confidence,
                      source: row.props.source, actor: row.props.actor})-[:OF_ASSIGNMENT]->(ta)
)
RETURN row.id AS id, action
