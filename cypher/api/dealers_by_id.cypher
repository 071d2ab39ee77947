// Dealers by id, with the brands they sell.
// $ids
UNWIND $ids AS id
MATCH (d:Dealer {dealerId: id})
RETURN id, d {.dealerId, .name, .city, brands: [(d)-[:SELLS]->(b:Brand) | b {.code, .name}]} AS dealer
