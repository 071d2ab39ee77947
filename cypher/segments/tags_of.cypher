// OneIDs with their live tag codes in the scopes the viewer may see: what an export hands out (no personal data).
// :param oneIds => ['P000001']
// :param viewer => {admin: true, advisorId: null, dealerId: null}
UNWIND $oneIds AS oneId
MATCH (p:Person {oneId: oneId})
RETURN p.oneId AS oneId,
  COLLECT { MATCH (p)<-[:RESOLVED_TO]-(:CustomerRecord)<-[:TAGS|TAGS_FROM]-(ta:TagAssignment)-[:OF_TAG]->(t:Tag)
            WHERE ta.removedAt IS NULL AND (ta.expiresAt IS NULL OR ta.expiresAt > datetime())
              AND ($viewer.admin OR coalesce(t.scope, 'oem') = 'oem'
                   OR (t.scope = 'dealer' AND t.ownerId = $viewer.dealerId)
                   OR (t.scope = 'advisor' AND t.ownerId = $viewer.advisorId))
            RETURN DISTINCT ta.tagCode ORDER BY ta.tagCode } AS tags
