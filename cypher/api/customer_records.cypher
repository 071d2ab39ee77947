// A page of the customer records the caller may see, filtered and sorted (the API's customerRecords).
// $scope {all, advisorId, dealerId} — same rule as records_by_key.cypher; $viewer {admin, advisorId, dealerId}
// (a tag filter only matches tags the caller may see)
// $filter {system, city, nameContains, phone (E.164), dealerId, tagCode, createdFrom, createdTo}; null = no filter
// $orderBy: 'key' | 'name' | 'createdAt'; $descending: bool; $skip, $limit
MATCH (r:CustomerRecord)
WHERE r.stub IS NULL
  AND ($filter.system IS NULL OR r.system = $filter.system)
  AND ($filter.city IS NULL OR r.city = $filter.city)
  AND ($filter.nameContains IS NULL OR r.name CONTAINS $filter.nameContains
       OR r.namePinyin CONTAINS toLower($filter.nameContains))
  AND ($filter.phone IS NULL OR EXISTS { (r)-[:HAS_PHONE]->(:Phone {e164: $filter.phone}) })
  AND ($filter.dealerId IS NULL OR EXISTS { (r)-[:CUSTOMER_OF]->(:Dealer {dealerId: $filter.dealerId}) })
  AND ($filter.tagCode IS NULL OR EXISTS {
        MATCH (r)<-[:TAGS]-(ta:TagAssignment {tagCode: $filter.tagCode})-[:OF_TAG]->(t:Tag)
        WHERE ta.removedAt IS NULL AND (ta.expiresAt IS NULL OR ta.expiresAt > datetime())
          AND ($viewer.admin OR coalesce(t.scope, 'oem') = 'oem'
               OR (t.scope = 'dealer' AND t.ownerId = $viewer.dealerId)
               OR (t.scope = 'advisor' AND t.ownerId = $viewer.advisorId)) })
  AND ($filter.createdFrom IS NULL OR r.createdAt >= $filter.createdFrom)
  AND ($filter.createdTo IS NULL OR r.createdAt < $filter.createdTo)
  AND ($scope.all
   OR EXISTS { (r)-[:SERVED_BY]->(:Advisor {advisorId: $scope.advisorId}) }
   OR EXISTS { (r)-[:CUSTOMER_OF]->(:Dealer {dealerId: $scope.dealerId}) }
   OR EXISTS { (r)-[:SERVED_BY]->(:Advisor)-[:WORKS_AT]->(:Dealer {dealerId: $scope.dealerId}) }
   OR EXISTS { (r)-[:HAS_LEAD]->(:Lead)-[:AT_DEALER]->(:Dealer {dealerId: $scope.dealerId}) }
   OR EXISTS { (r)-[:HAD_SERVICE]->(:ServiceVisit)-[:AT_DEALER]->(:Dealer {dealerId: $scope.dealerId}) })
WITH r, CASE $orderBy WHEN 'name' THEN r.namePinyin WHEN 'createdAt' THEN toString(r.createdAt) ELSE r.key END AS k
ORDER BY CASE WHEN $descending THEN null ELSE k END ASC, CASE WHEN $descending THEN k END DESC, r.key
SKIP $skip LIMIT $limit
RETURN r.key AS key, r {.key, .system, .sourceId, .name, .city, .gender, .birthDate, .createdAt} AS record
