// How many customer records `carkg tags apply` will visit: those with stored events or inbound chat
// messages that no apply has tagged yet (`taggedAt` unset), or all of them with $all.
// :param all => false
MATCH (r:CustomerRecord)
WHERE ($all AND (EXISTS { (r)-[:PERFORMED]->(:Event) } OR EXISTS { (:ChatMessage {direction: 'in'})-[:WITH_CUSTOMER]->(r) }))
   OR EXISTS { (r)-[:PERFORMED]->(e:Event) WHERE e.taggedAt IS NULL }
   OR EXISTS { (m:ChatMessage {direction: 'in'})-[:WITH_CUSTOMER]->(r) WHERE m.taggedAt IS NULL }
RETURN count(r) AS records
