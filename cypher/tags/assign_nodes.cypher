// Tag nodes, a batch at a time. Re-assigning updates the assignment in place (deterministic id) and
// records a TagChange: 'assigned' when the tag was not live on the target before, 'updated' when it was.
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
OPTIONAL MATCH (old:TagAssignment {id: row.id})
WITH row, n, t,
     CASE WHEN old IS NOT NULL AND old.removedAt IS NULL AND (old.expiresAt IS NULL OR old.expiresAt > datetime())
          THEN 'updated' ELSE 'assigned' END AS action
MERGE (ta:TagAssignment {id: row.id})
SET ta += row.props, ta.tagCode = row.code, ta.targetKind = 'node', ta.removedAt = null, ta.expiredAt = null
MERGE (ta)-[:OF_TAG]->(t)
MERGE (ta)-[:TAGS]->(n)
CREATE (c:TagChange {at: row.props.at, action: action, value: row.props.value, confidence: row.props.confidence,
                     source: row.props.source, actor: row.props.actor})-[:OF_ASSIGNMENT]->(ta)
RETURN row.id AS id, action
