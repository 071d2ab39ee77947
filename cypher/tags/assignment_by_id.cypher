// One live assignment by its id, shaped like the tags of api/record_details (for mutation results).
// $id
MATCH (ta:TagAssignment {id: $id})-[:OF_TAG]->(t:Tag)
WHERE ta.removedAt IS NULL AND (ta.expiresAt IS NULL OR ta.expiresAt > datetime())
RETURN ta {.id, .tagCode, .value, .source, .actor, .confidence, .at, .expiresAt, .evidence, .targetKind, .relType,
           tagNameZh: t.nameZh, tagNameEn: t.nameEn,
           endKey: head([(ta)-[:TAGS_TO]->(e) | coalesce(e.vin, e.advisorId, e.leadId, e.materialId, e.code)])}
       AS assignment
