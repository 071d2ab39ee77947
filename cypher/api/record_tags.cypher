// Live tags on customer records and on their relationships (SERVED_BY, OWNS, HAS_LEAD …), only the
// tag scopes the viewer may see: OEM tags for all, dealer tags for that dealer, personal tags for
// their advisor ($viewer.admin sees all). `endKey` names the other end of a relationship tag.
// $keys; $viewer {admin, advisorId, dealerId}
UNWIND $keys AS key
MATCH (r:CustomerRecord {key: key})
CALL (r) {
  MATCH (ta:TagAssignment)-[:TAGS|TAGS_FROM]->(r)
  WHERE ta.removedAt IS NULL AND (ta.expiresAt IS NULL OR ta.expiresAt > datetime())
  MATCH (ta)-[:OF_TAG]->(t:Tag)
  WHERE $viewer.admin OR coalesce(t.scope, 'oem') = 'oem'
     OR (t.scope = 'dealer' AND t.ownerId = $viewer.dealerId)
     OR (t.scope = 'advisor' AND t.ownerId = $viewer.advisorId)
  OPTIONAL MATCH (ta)-[:TAGS_TO]->(e)
  RETURN collect(ta {
    .tagCode, .value, .source, .actor, .confidence, .at, .expiresAt, .evidence, .targetKind, .relType,
    tagNameZh: t.nameZh, tagNameEn: t.nameEn,
    endKey: coalesce(e.vin, e.advisorId, e.leadId, e.materialId, e.code, e.dealerId)
  }) AS tags
}
RETURN key, tags
