// The dealer an advisor works at (an advisor token is bound to both).
// $advisorId
MATCH (:Advisor {advisorId: $advisorId})-[:WORKS_AT]->(d:Dealer)
RETURN d.dealerId AS dealerId
