// Which of the tag codes a segment definition uses exist in the tag library, in a scope the viewer may use.
// :param codes => ['high_purchase_intent']
// :param viewer => {admin: true, advisorId: null, dealerId: null}
UNWIND $codes AS code
MATCH (t:Tag {code: code})
WHERE $viewer.admin OR coalesce(t.scope, 'oem') = 'oem'
   OR (t.scope = 'dealer' AND t.ownerId = $viewer.dealerId)
   OR (t.scope = 'advisor' AND t.ownerId = $viewer.advisorId)
RETURN t.code AS code
