// Customer → vehicle ownership edges (OWNS {since, source}) with the vehicle's model and brand.
// $keys
UNWIND $keys AS key
MATCH (r:CustomerRecord {key: key})
RETURN key, [(r)-[o:OWNS]->(v:Vehicle) | {
  since: o.since, source: o.source,
  vehicle: v {.vin},
  model: head([(v)-[:OF_MODEL]->(m:VehicleModel) | m {.code, .nameZh, .nameEn}]),
  brand: head([(v)-[:OF_MODEL]->(:VehicleModel)-[:OF_BRAND]->(b:Brand) | b {.code, .name}])
}] AS vehicles
