// Tag nodes, a batch at a time. Re-assigning updates the assignment in place (deterministic id) and
// records a TagChange: 'assigned' when the tag was not live on the target before, 'updated' when its
// value, confidence, source or expiry changed. A re-assign that changes none of them is 'unchanged': it
// refreshes the time and evidence but adds no history entry (history records real changes only).
// Rows whose target does not exist return nothing (the caller reports them). One branch per label so
// every lookup uses the label's uniqueness constraint.
// $rows [{id, code, label, key, props {value, source, actor, confidence, at, expiresAt, evidence}}]
UNWIND $rows AS row
CALL (row) {
  WITH row WHERE row.label = 'CustomerRecord' MATCH (n:CustomerRecord {key: row.key}) RETURN n
  UNION
  WITH row WHERE row.label = 'Person' MATCH (n:Person {oneId: row.key}) RETURN n
  UNION
  WITH row WHERE row.label = 'Vehicle' MATCH (n:Vehicle {vin: row.key}) RETURN n
  UNION
  WITH row WHERE row.label = 'Lead' MATCH (n:Lead {leadId: row.key}) RETURN n
  UNION
  WITH row WHERE row.label = 'Advisor' MATCH (n:Advisor {advisorId: row.key}) RETURN n
  UNION
  WITH row WHERE row.label = 'Dealer' MATCH (n:Dealer {dealerId: row.key}) RETURN n
  UNION
  WITH row WHERE row.label = 'Material' MATCH (n:Material {materialId: row.key}) RETURN n
  UNION
  WITH row WHERE row.label = 'VehicleModel' MATCH (n:VehicleModel {code: row.key}) RETURN n
}
MATCH (t:Tag {code: row.code})
MERGE (ta:TagAssignment {id: row.id})
WITH row, n, t, ta,
     ta.at IS NOT NULL AND ta.removedAt IS NULL AND (ta.expiresAt IS NULL OR ta.expiresAt > datetime()) AS live,
     [ta.value, ta.confidence, ta.source, ta.expiresAt] AS was,
     [row.props.value, row.props.confidence, row.props.source, row.props.expiresAt] AS given
WITH *, all(i IN range(0, 3) WHERE coalesce(was[i] = given[i], was[i] IS NULL AND given[i] IS NULL)) AS same
WITH row, n, t, ta, CASE WHEN NOT live THEN 'assigned' WHEN same THEN 'unchanged' ELSE 'updated' END AS action
SET ta.tagCode = row.code, ta.targetKind = 'node', ta.value = row.props.value, ta.source = row.props.source,
    ta.actor = row.props.actor, ta.confidence = row.props.confidence, ta.at = row.props.at,
    ta.expiresAt = row.props.expiresAt, ta.evidence = row.props.evidence, ta.removedAt = null, ta.expiredAt = null
MERGE (ta)-[:OF_TAG]->(t)
MERGE (ta)-[:TAGS]->(n)
FOREACH (_ IN CASE WHEN action = 'unchanged' THEN [] ELSE [1] END |
  CREATE (:TagChange {at: row.props.at, action: action, value: row.props.value, confidence: row.props.confidence,
                      source: row.props.source, actor: row.props.actor})-[:OF_ASSIGNMENT]->(ta)
)
RETURN row.id AS id, action
