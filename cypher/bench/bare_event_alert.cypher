// The event → tag → alert path as one write with the bare driver (`carkg bench alerts` runs it beside the API
// as the floor): store the event on its customer record and material, put a rule-like tag on the record with
// the event as evidence, and read the advisors to alert. $eventId, $type, $at, $key, $materialId, $code
MERGE (e:Event {eventId: $eventId})
  ON CREATE SET e.type = $type, e.at = $at, e.channel = 'private_chat'
WITH e
MATCH (r:CustomerRecord {key: $key})
MERGE (r)-[:PERFORMED]->(e)
MERGE (m:Material {materialId: $materialId})
MERGE (e)-[:ON]->(m)
WITH r
MATCH (t:Tag {code: $code})
MERGE (ta:TagAssignment {id: 'CustomerRecord|' + $key + '|' + $code})
SET ta.tagCode = $code, ta.targetKind = 'node', ta.source = 'rule', ta.actor = 'bench', ta.confidence = 0.6,
    ta.at = $at, ta.evidence = [$eventId], ta.removedAt = null
MERGE (ta)-[:OF_TAG]->(t)
MERGE (ta)-[:TAGS]->(r)
RETURN [(r)-[:SERVED_BY]->(a:Advisor) | a.advisorId] AS advisors
