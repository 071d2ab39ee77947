// A page of what carries one tag live: nodes, or relationships of customer records (start and end key),
// optionally only at or above a confidence or from one source. Callers with a row scope only get
// customer records they may see (and those records' relationships); the tag's own visibility is checked
// by the caller before.
// $code; $minConfidence, $source (null = any); $scope {all, advisorId, dealerId}; $skip, $limit
MATCH (ta:TagAssignment {tagCode: $code})
// Pages come straight from the (tagCode, id) index in its order, so a page stops after its rows instead of
// sorting every assignment of the tag: hence `ta.id IS NOT NULL`, the coalesce (an OR would be split into two
// index seeks) and ORDER BY both index properties (tagCode is fixed, so it is id order).
WHERE ta.id IS NOT NULL
  AND ta.removedAt IS NULL AND coalesce(ta.expiresAt > datetime(), true)
  AND ($minConfidence IS NULL OR ta.confidence >= $minConfidence)
  AND ($source IS NULL OR ta.source = $source)
MATCH (ta)-[:TAGS|TAGS_FROM]->(n)
OPTIONAL MATCH (ta)-[:TAGS_TO]->(e)
WITH ta, n, e
WHERE $scope.all
   OR (n:CustomerRecord AND (
          EXISTS { (n)-[:SERVED_BY]->(:Advisor {advisorId: $scope.advisorId}) }
       OR EXISTS { (n)-[:CUSTOMER_OF]->(:Dealer {dealerId: $scope.dealerId}) }
       OR EXISTS { (n)-[:SERVED_BY]->(:Advisor)-[:WORKS_AT]->(:Dealer {dealerId: $scope.dealerId}) }
       OR EXISTS { (n)-[:HAS_LEAD]->(:Lead)-[:AT_DEALER]->(:Dealer {dealerId: $scope.dealerId}) }
       OR EXISTS { (n)-[:HAD_SERVICE]->(:ServiceVisit)-[:AT_DEALER]->(:Dealer {dealerId: $scope.dealerId}) }))
RETURN ta {.id, .tagCode, .value, .source, .actor, .confidence, .at, .expiresAt, .evidence, .targetKind, .relType,
           endKey: coalesce(e.vin, e.advisorId, e.leadId, e.materialId, e.code)} AS assignment,
       [l IN labels(n) WHERE l IN ['CustomerRecord', 'Person', 'Vehicle', 'Lead', 'Advisor', 'Dealer', 'Material',
                                    'VehicleModel']][0] AS label,
       coalesce(n.key, n.oneId, n.vin, n.leadId, n.advisorId, n.dealerId, n.materialId, n.code) AS key
ORDER BY ta.tagCode, ta.id
SKIP $skip LIMIT $limit
