// Customer records whose stored events or inbound chat messages no apply has tagged yet (`taggedAt`
// unset; all records with events or inbound chats when $all), one page at a time, in key order.
// A record with anything new is fed whole (all its events), because repeated behaviour sets confidence.
// :param after => ''
// :param limit => 1000
// :param all => false
MATCH (r:CustomerRecord)
WHERE r.key > $after
  AND (($all AND (EXISTS { (r)-[:PERFORMED]->(:Event) } OR EXISTS { (:ChatMessage {direction: 'in'})-[:WITH_CUSTOMER]->(r) }))
       OR EXISTS { (r)-[:PERFORMED]->(e:Event) WHERE e.taggedAt IS NULL }
       OR EXISTS { (m:ChatMessage {direction: 'in'})-[:WITH_CUSTOMER]->(r) WHERE m.taggedAt IS NULL })
RETURN r.key AS key
ORDER BY key
LIMIT $limit
