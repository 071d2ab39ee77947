// Create or update tag definitions by code; loading the same library twice leaves the graph unchanged.
// $rows [{code, props {code, nameZh, nameEn, category, valueType, values, scope, ownerId, status, template, description}}]
UNWIND $rows AS row
MERGE (t:Tag {code: row.code})
SET t += row.props
RETURN t.code AS code
