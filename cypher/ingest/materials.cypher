// Marketing materials and the model they feature.
UNWIND $rows AS row
MERGE (m:Material {materialId: row.material_id})
SET m.title = row.title, m.kind = row.kind
WITH m, row
WHERE row.model_code IS NOT NULL
MERGE (vm:VehicleModel {code: row.model_code})
MERGE (m)-[:FEATURES]->(vm)
