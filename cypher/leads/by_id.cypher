// Leads by id with what the API shows of each (the same shape as a lead in api/record_details) — only
// those in the caller's row scope: everything for the OEM and stewards, a dealer's leads for a dealer or
// one of its advisors, and the leads assigned to an advisor.
// $ids; $scope {all, advisorId, dealerId}
UNWIND $ids AS id
MATCH (l:Lead {leadId: id})
WHERE $scope.all
   OR EXISTS { (l)-[:AT_DEALER]->(:Dealer {dealerId: $scope.dealerId}) }
   OR EXISTS { (l)-[:ASSIGNED_TO]->(:Advisor {advisorId: $scope.advisorId}) }
RETURN l.leadId AS leadId,
       l {.leadId, .stage, .channel, .createdAt, .budgetYuan, .score, .grade, .probability, .factors,
          .modelVersion, .scoredAt} AS lead,
       head([(l)-[:INTERESTED_IN]->(m:VehicleModel) | m {.code, .nameZh, .nameEn}]) AS model,
       head([(l)-[:ASSIGNED_TO]->(a:Advisor) | a {.advisorId, .name}]) AS advisor,
       head([(l)-[:AT_DEALER]->(d:Dealer) | d {.dealerId, .name, .city, brands: [(d)-[:SELLS]->(b:Brand) | b {.code, .name}]}])
         AS dealer,
       head([(r:CustomerRecord)-[:HAS_LEAD]->(l) | r.key]) AS recordKey
