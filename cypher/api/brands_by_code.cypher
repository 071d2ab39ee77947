// Brands by code, with the codes of their vehicle models.
// $ids
UNWIND $ids AS id
MATCH (b:Brand {code: id})
RETURN id, b {.code, .name, models: [(m:VehicleModel)-[:OF_BRAND]->(b) | m.code]} AS brand
