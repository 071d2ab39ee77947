// The dealers a customer record bought from (CUSTOMER_OF).
// $keys
UNWIND $keys AS key
MATCH (r:CustomerRecord {key: key})
RETURN key, [(r)-[:CUSTOMER_OF]->(d:Dealer) | d {.dealerId, .name, .city, brands: [(d)-[:SELLS]->(b:Brand) | b {.code, .name}]}] AS dealers
