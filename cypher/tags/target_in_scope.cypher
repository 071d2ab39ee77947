// May a caller with this row scope tag this customer? The record (by key) or the person (by One ID,
// through any of its records) must be one the caller sees — same rule as api/records_by_key.cypher.
// $recordKey, $oneId (one of them); $scope {all, advisorId, dealerId}
OPTIONAL MATCH (direct:CustomerRecord {key: $recordKey})
OPTIONAL MATCH (:Person {oneId: $oneId})<-[:RESOLVED_TO]-(viaPerson:CustomerRecord)
WITH [r IN collect(DISTINCT direct) + collect(DISTINCT viaPerson) WHERE r IS NOT NULL] AS records
UNWIND records AS r
WITH r
WHERE $scope.all
   OR EXISTS { (r)-[:SERVED_BY]->(:Advisor {advisorId: $scope.advisorId}) }
   OR EXISTS { (r)-[:CUSTOMER_OF]->(:Dealer {dealerId: $scope.dealerId}) }
   OR EXISTS { (r)-[:SERVED_BY]->(:Advisor)-[:WORKS_AT]->(:Dealer {dealerId: $scope.dealerId}) }
   OR EXISTS { (r)-[:HAS_LEAD]->(:Lead)-[:AT_DEALER]->(:Dealer {dealerId: $scope.dealerId}) }
   OR EXISTS { (r)-[:HAD_SERVICE]->(:ServiceVisit)-[:AT_DEALER]->(:Dealer {dealerId: $scope.dealerId}) }
RETURN r.key AS key
LIMIT 1
