// The advisor serving the most customers, with their dealer: the demo's advisor token is bound to them.
MATCH (a:Advisor)-[:WORKS_AT]->(d:Dealer)
RETURN a.advisorId AS advisorId, d.dealerId AS dealerId, COUNT { (:CustomerRecord)-[:SERVED_BY]->(a) } AS customers
ORDER BY customers DESC, advisorId
LIMIT 1
