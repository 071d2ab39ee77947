// The tag library as one viewer sees it: OEM tags for all, dealer tags for that dealer, advisor tags
// for that advisor ($viewer.admin sees all), optionally one scope / category, ordered by code.
// $viewer {admin, advisorId, dealerId}; $scope, $category (null = any); $skip, $limit
MATCH (t:Tag)
WHERE ($scope IS NULL OR t.scope = $scope) AND ($category IS NULL OR t.category = $category)
  AND ($viewer.admin OR coalesce(t.scope, 'oem') = 'oem'
       OR (t.scope = 'dealer' AND t.ownerId = $viewer.dealerId)
       OR (t.scope = 'advisor' AND t.ownerId = $viewer.advisorId))
RETURN t {.code, .nameZh, .nameEn, .category, .valueType, .values, .scope, .ownerId, .status, .template,
          .description} AS tag
ORDER BY t.code
SKIP $skip LIMIT $limit
