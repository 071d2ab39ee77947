// Vehicle catalogue from loaders/reference: brands, canonical models and every alias a system uses.
// $rows: [{model_code, brand_code, brand_name, name_zh, name_en, segment, energy, aliases}]
UNWIND $rows AS row
MERGE (b:Brand {code: row.brand_code})
SET b.name = row.brand_name
MERGE (m:VehicleModel {code: row.model_code})
SET m.nameZh = row.name_zh, m.nameEn = row.name_en, m.segment = row.segment, m.energy = row.energy,
    m.aliases = row.aliases
MERGE (m)-[:OF_BRAND]->(b)
