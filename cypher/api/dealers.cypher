// A page of dealers, optionally in one city.
// $city (or null); $skip; $limit
MATCH (d:Dealer)
WHERE $city IS NULL OR d.city = $city
RETURN d.dealerId AS id, d {.dealerId, .name, .city, brands: [(d)-[:SELLS]->(b:Brand) | b {.code, .name}]} AS dealer
ORDER BY d.dealerId
SKIP $skip LIMIT $limit
