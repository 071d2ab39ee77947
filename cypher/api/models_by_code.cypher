// Vehicle models by code, with brand and every alias the source systems use.
// $ids
UNWIND $ids AS id
MATCH (m:VehicleModel {code: id})
RETURN id, m {.code, .nameZh, .nameEn, .aliases, brand: head([(m)-[:OF_BRAND]->(b:Brand) | b {.code, .name}])} AS model
