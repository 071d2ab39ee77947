// The live tags on one node or one relationship, in the tag scopes the viewer may see. Assignment ids
// start with the target (`Label|key|` or `REL_TYPE|startKey|endKey|`), so this is one index range seek;
// the TAGS / TAGS_FROM pattern confirms the target.
// :param prefix => 'CustomerRecord|dms:C0000001|'
// :param viewer => {admin: true}
MATCH (ta:TagAssignment)-[:OF_TAG]->(t:Tag)
WHERE ta.id STARTS WITH $prefix
  AND ta.removedAt IS NULL AND (ta.expiresAt IS NULL OR ta.expiresAt > datetime())
  AND ($viewer.admin OR coalesce(t.scope, 'oem') = 'oem'
       OR (t.scope = 'dealer' AND t.ownerId = $viewer.dealerId)
       OR (t.scope = 'advisor' AND t.ownerId = $viewer.advisorId))
  AND ta.id = $prefix + ta.tagCode
RETURN ta {.id, .tagCode, .value, .source, .actor, .confidence, .at, .expiresAt, .evidence, .targetKind, .relType,
           tagNameZh: t.nameZh, tagNameEn: t.nameEn,
           endKey: head([(ta)-[:TAGS_TO]->(e) | coalesce(e.vin, e.advisorId, e.leadId, e.materialId, e.code)])}
       AS assignment
ORDER BY ta.tagCode
