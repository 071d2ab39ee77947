// How many customer records have stored events or inbound chat messages (the size of `carkg tags apply`).
MATCH (r:CustomerRecord)
WHERE EXISTS { (r)-[:PERFORMED]->(:Event) } OR EXISTS { (:ChatMessage {direction: 'in'})-[:WITH_CUSTOMER]->(r) }
RETURN count(r) AS records
