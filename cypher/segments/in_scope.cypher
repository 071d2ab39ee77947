// Which of $oneIds the caller may see: a person is visible when any of its records is in the row scope
// (same rule as api/records_by_key). Used to cut a diff or an export down to a dealer's or advisor's customers.
// :param oneIds => ['P000001']
// :param scope => {all: false, advisorId: 'A0001', dealerId: 'D001'}
UNWIND $oneIds AS oneId
MATCH (p:Person {oneId: oneId})
WHERE $scope.all OR EXISTS {
    MATCH (p)<-[:RESOLVED_TO]-(sr:CustomerRecord)
    WHERE EXISTS { (sr)-[:SERVED_BY]->(:Advisor {advisorId: $scope.advisorId}) }
       OR EXISTS { (sr)-[:CUSTOMER_OF]->(:Dealer {dealerId: $scope.dealerId}) }
       OR EXISTS { (sr)-[:SERVED_BY]->(:Advisor)-[:WORKS_AT]->(:Dealer {dealerId: $scope.dealerId}) }
       OR EXISTS { (sr)-[:HAS_LEAD]->(:Lead)-[:AT_DEALER]->(:Dealer {dealerId: $scope.dealerId}) }
       OR EXISTS { (sr)-[:HAD_SERVICE]->(:ServiceVisit)-[:AT_DEALER]->(:Dealer {dealerId: $scope.dealerId}) } }
RETURN p.oneId AS oneId
