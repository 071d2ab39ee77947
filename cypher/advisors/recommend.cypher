// The advisors a customer (a Person by $oneId) or a lead ($leadId) could be sent to, with everything the
// ranking in carkg.advisors.recommend weighs — one round trip. Where the customer is: the lead's city of
// purchase (购车城市), else the city most of their records name, else their newest lead's city (its centre). What they want: the lead's model, else their newest lead's, else the
// model of the car they bought last. Dealers: those selling the brand within $radiusMeters (point index),
// else the $nearestDealers nearest; without a location, the dealers the customer is known at, else all.
// A dealer-scoped caller gets its own dealer's advisors, however far.
// No row when the id is unknown (or the lead is outside $scope); a row with no advisors when nothing fits.
// $oneId, $leadId (one of them); $radiusMeters, $nearestDealers; $asOf, $activeDays, $openStages (the
// open-lead workload); $scope {all, advisorId, dealerId}
OPTIONAL MATCH (lead:Lead {leadId: $leadId})
  WHERE $scope.all  // a lead outside the caller's row scope is as unknown as a lead that does not exist
     OR EXISTS { (lead)-[:AT_DEALER]->(:Dealer {dealerId: $scope.dealerId}) }
     OR EXISTS { (lead)-[:ASSIGNED_TO]->(:Advisor {advisorId: $scope.advisorId}) }
OPTIONAL MATCH (given:Person {oneId: $oneId})
WITH lead, coalesce(given, head([(lead)<-[:HAS_LEAD]-(:CustomerRecord)-[:RESOLVED_TO]->(x:Person) | x])) AS person
WHERE lead IS NOT NULL OR person IS NOT NULL
WITH lead, person,
     CASE WHEN person IS NULL THEN [(lead)<-[:HAS_LEAD]-(r:CustomerRecord) | r]
          ELSE [(person)<-[:RESOLVED_TO]-(r:CustomerRecord) | r] END AS records
CALL (records) {
  UNWIND records AS r
  MATCH (c:City {name: r.city})
  WITH c, count(*) AS n ORDER BY n DESC, c.name
  RETURN head(collect(c)) AS recordedCity
}
CALL (records) {
  UNWIND records AS r
  MATCH (r)-[:HAS_LEAD]->(l:Lead)
  MATCH (c:City {name: l.city})
  WITH c ORDER BY l.createdAt DESC
  RETURN head(collect(c)) AS leadCity
}
WITH lead, person, records,
     coalesce(head(COLLECT { MATCH (c:City {name: lead.city}) RETURN c }), recordedCity, leadCity) AS home
CALL (records) {
  UNWIND records AS r
  MATCH (r)-[:HAS_LEAD]->(l:Lead)-[:INTERESTED_IN]->(m:VehicleModel)
  WITH m ORDER BY l.createdAt DESC
  RETURN head(collect(m)) AS newestLeadModel
}
CALL (records) {
  UNWIND records AS r
  MATCH (r)-[own:OWNS]->(:Vehicle)-[:OF_MODEL]->(m:VehicleModel)
  WITH m ORDER BY own.since DESC
  RETURN head(collect(m)) AS ownedModel
}
CALL (records) {  // tags read from each record (filtering in a list keeps the planner off the tagCode index)
  UNWIND records AS r
  UNWIND [ta IN [(r)<-[:TAGS]-(x:TagAssignment) | x]
          WHERE ta.tagCode STARTS WITH 'interest_'
            AND ta.removedAt IS NULL AND (ta.expiresAt IS NULL OR ta.expiresAt > datetime()) | ta.tagCode] AS code
  RETURN collect(DISTINCT code) AS interests
}
WITH lead, person, records, home, interests,
     coalesce(head([(lead)-[:INTERESTED_IN]->(m:VehicleModel) | m]), newestLeadModel, ownedModel) AS model
WITH lead, person, records, home, interests, model, head([(model)-[:OF_BRAND]->(b:Brand) | b]) AS brand
CALL (home, brand) {
  MATCH (d:Dealer)
  WHERE $scope.all AND home IS NOT NULL AND point.distance(d.location, home.location) <= $radiusMeters
    AND EXISTS { (d)-[:SELLS]->(brand) }
  RETURN collect({dealer: d, meters: point.distance(d.location, home.location)}) AS near
}
CALL (home, brand, near, records, lead) {
  MATCH (d:Dealer)
  WHERE size(near) = 0 AND ($scope.all OR d.dealerId = $scope.dealerId)
    AND (brand IS NULL OR NOT $scope.all OR EXISTS { (d)-[:SELLS]->(brand) })
  WITH d, CASE WHEN home IS NOT NULL THEN point.distance(d.location, home.location) END AS meters,
       EXISTS { (lead)-[:AT_DEALER]->(d) } OR any(r IN records WHERE EXISTS { (r)-[:CUSTOMER_OF]->(d) }) AS known
  ORDER BY meters, known DESC, d.dealerId
  WITH collect({dealer: d, meters: meters, known: known}) AS every
  RETURN CASE WHEN home IS NOT NULL THEN every[..$nearestDealers]
              WHEN any(x IN every WHERE x.known) THEN [x IN every WHERE x.known]
              ELSE every END AS far
}
CALL (near, far, brand, model, interests) {
  UNWIND near + far AS x
  WITH x.dealer AS d, x.meters AS meters
  WHERE $scope.all OR d.dealerId = $scope.dealerId
  MATCH (a:Advisor)-[:WORKS_AT]->(d)
  WHERE brand IS NULL OR a.brandCode = brand.code
     OR NOT EXISTS { (:Advisor {brandCode: brand.code})-[:WORKS_AT]->(d) }
  RETURN collect({
    advisorId: a.advisorId, name: a.name, rating: a.rating, conversionRate: a.conversionRate,
    closedLeads: coalesce(a.closedLeads, 0), convertedLeads: coalesce(a.convertedLeads, 0),
    dealer: d {.dealerId, .name, .city, brands: [(d)-[:SELLS]->(b:Brand) | b {.code, .name}]}, meters: meters,
    modelRecord: head([(a)-[k:KNOWS_MODEL]->(model) | k {.deals, .closedLeads, .convertedLeads}]),
    sharedInterests: [ta IN [(a)<-[:TAGS]-(x:TagAssignment) | x]
                      WHERE ta.tagCode IN interests
                        AND ta.removedAt IS NULL AND (ta.expiresAt IS NULL OR ta.expiresAt > datetime())
                      | coalesce(head([(ta)-[:OF_TAG]->(t:Tag) | t.nameZh]), ta.tagCode)],
    openLeads: COUNT { (l:Lead)-[:ASSIGNED_TO]->(a)
                       WHERE l.stage IN $openStages AND $asOf - duration({days: $activeDays}) <= l.createdAt < $asOf }
  }) AS advisors
}
RETURN person.oneId AS oneId, lead.leadId AS leadId, home.name AS homeCity,
       model {.code, .nameZh, .nameEn} AS model, brand.code AS brand, advisors
