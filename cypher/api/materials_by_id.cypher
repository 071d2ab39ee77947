// Marketing materials (brochures, invitations …) by id, with the model they feature.
// $ids
UNWIND $ids AS id
MATCH (m:Material {materialId: id})
RETURN id, m {.materialId, .title, .kind,
              model: head([(m)-[:FEATURES]->(vm:VehicleModel) | vm {.code, .nameZh, .nameEn}])} AS material
