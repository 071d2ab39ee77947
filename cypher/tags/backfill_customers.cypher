// Customer records with stored events or inbound chat messages, one page at a time, in key order
// (`carkg tags apply` runs the rules and the keyword tagger over what was loaded before intake existed).
// :param after => ''
// :param limit => 1000
MATCH (r:CustomerRecord)
WHERE r.key > $after
  AND (EXISTS { (r)-[:PERFORMED]->(:Event) } OR EXISTS { (:ChatMessage {direction: 'in'})-[:WITH_CUSTOMER]->(r) })
RETURN r.key AS key
ORDER BY key
LIMIT $limit
