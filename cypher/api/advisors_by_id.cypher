// Advisors by id, with their dealer.
// $ids
UNWIND $ids AS id
MATCH (a:Advisor {advisorId: id})
RETURN id, a {.advisorId, .name, dealer: head([(a)-[:WORKS_AT]->(d:Dealer) | d {.dealerId, .name, .city, brands: [(d)-[:SELLS]->(b:Brand) | b {.code, .name}]}])} AS advisor
