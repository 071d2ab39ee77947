// Customer records by key — only those the caller may see (the row scope).
// An advisor sees the customers they serve and their dealer's; a dealer app its dealer's; analysts and
// stewards everything ($scope.all). A dealer's customers: bought there (CUSTOMER_OF), served by one of
// its advisors, had a lead or a service visit there.
// $keys: ['dms:C0000001', …]; $scope {all: bool, advisorId, dealerId}
UNWIND $keys AS key
MATCH (r:CustomerRecord {key: key})
WHERE $scope.all
   OR EXISTS { (r)-[:SERVED_BY]->(:Advisor {advisorId: $scope.advisorId}) }
   OR EXISTS { (r)-[:CUSTOMER_OF]->(:Dealer {dealerId: $scope.dealerId}) }
   OR EXISTS { (r)-[:SERVED_BY]->(:Advisor)-[:WORKS_AT]->(:Dealer {dealerId: $scope.dealerId}) }
   OR EXISTS { (r)-[:HAS_LEAD]->(:Lead)-[:AT_DEALER]->(:Dealer {dealerId: $scope.dealerId}) }
   OR EXISTS { (r)-[:HAD_SERVICE]->(:ServiceVisit)-[:AT_DEALER]->(:Dealer {dealerId: $scope.dealerId}) }
RETURN key, r {.key, .system, .sourceId, .name, .city, .gender, .birthDate, .createdAt} AS record
