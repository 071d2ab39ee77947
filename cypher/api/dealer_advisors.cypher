// The advisors working at dealers.
// $ids: dealer ids
UNWIND $ids AS id
MATCH (d:Dealer {dealerId: id})
RETURN id, [(a:Advisor)-[:WORKS_AT]->(d) | a {.advisorId, .name}] AS advisors
