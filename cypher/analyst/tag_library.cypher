// The tag library with how much each tag is used: live assignments and customer records carrying it.
// :param scope => null
MATCH (t:Tag)
WHERE $scope IS NULL OR t.scope = $scope
OPTIONAL MATCH (ta:TagAssignment {tagCode: t.code})
WHERE ta.removedAt IS NULL AND (ta.expiresAt IS NULL OR ta.expiresAt > datetime())
RETURN t.code AS code, t.nameZh AS nameZh, t.nameEn AS nameEn, t.category AS category, t.valueType AS valueType,
       t.values AS values, t.scope AS scope, t.ownerId AS owner, t.status AS status, coalesce(t.template, false) AS template,
       count(ta) AS live
ORDER BY category, code
