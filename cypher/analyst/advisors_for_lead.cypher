// Which advisor should take this lead? The brand's advisors at dealers within 50 km of the customer's city
// (else the three nearest), ranked as `recommendAdvisors` ranks them (carkg.advisors.recommend's weights):
// model knowledge, shared hobbies, conversion rate (for the model when known), rating, distance and open
// leads, each term shown.
// Run `carkg advisors tag` first. Advisors above 40 open leads are passed over.
// :param leadId => 'LD00000001'
MATCH (lead:Lead {leadId: $leadId})-[:INTERESTED_IN]->(model:VehicleModel)-[:OF_BRAND]->(brand:Brand)
WITH lead, model, brand,
     [(lead)<-[:HAS_LEAD]-(r:CustomerRecord) | r] +
     [(lead)<-[:HAS_LEAD]-(:CustomerRecord)-[:RESOLVED_TO]->(:Person)<-[:RESOLVED_TO]-(o:CustomerRecord) | o]
       AS records
CALL (records) {
  UNWIND records AS r
  MATCH (c:City {name: r.city})
  WITH c, count(DISTINCT r) AS n ORDER BY n DESC, c.name
  RETURN head(collect(c)) AS recordedCity
}
WITH lead, model, brand, records,
     coalesce(head(COLLECT { MATCH (c:City {name: lead.city}) RETURN c }), recordedCity) AS home
WITH lead, model, brand, home,
     COLLECT { UNWIND records AS r
               UNWIND [ta IN [(r)<-[:TAGS]-(x:TagAssignment) | x]
                       WHERE ta.tagCode STARTS WITH 'interest_'
                         AND ta.removedAt IS NULL AND (ta.expiresAt IS NULL OR ta.expiresAt > datetime()) | ta.tagCode] AS code
               RETURN DISTINCT code } AS hobbies
MATCH (d:Dealer)-[:SELLS]->(brand)
WITH lead, model, brand, hobbies, d, point.distance(d.location, home.location) / 1000 AS km
ORDER BY km, d.dealerId
WITH lead, model, brand, hobbies, collect({d: d, km: km}) AS dealers
UNWIND CASE WHEN any(x IN dealers WHERE x.km <= 50) THEN [x IN dealers WHERE x.km <= 50]
            ELSE dealers[..3] END AS x
WITH lead, model, brand, hobbies, x.d AS d, x.km AS km
MATCH (a:Advisor)-[:WORKS_AT]->(d)
WHERE a.brandCode = brand.code OR NOT EXISTS { (:Advisor {brandCode: brand.code})-[:WORKS_AT]->(d) }
WITH a, d, km, model, head([(a)-[k:KNOWS_MODEL]->(model) | k]) AS known,
     [ta IN [(a)<-[:TAGS]-(x:TagAssignment) | x] WHERE ta.tagCode IN hobbies
        AND ta.removedAt IS NULL AND (ta.expiresAt IS NULL OR ta.expiresAt > datetime())
      | head([(ta)-[:OF_TAG]->(t:Tag) | t.nameZh])] AS shared,
     coalesce(a.conversionRate, 0.12) AS overall,
     COUNT { (l:Lead)-[:ASSIGNED_TO]->(a)
             WHERE l.stage IN ['new', 'contacted', 'test_drive', 'booked']
               AND datetime() - duration({days: 90}) <= l.createdAt < datetime() } AS openLeads
WITH a, d, km, model, shared, openLeads, coalesce(known.deals, 0) AS deals,
     CASE WHEN coalesce(known.closedLeads, 0) > 0  // their leads for this model, shrunk towards their rate
          THEN (known.convertedLeads + 5 * overall) / (known.closedLeads + 5) ELSE overall END AS rate
WITH a, d, km, model, deals, shared, rate, openLeads,
     CASE WHEN deals > 0 THEN 0.6 * log(1 + deals) ELSE 0 END AS modelTerm,
     CASE WHEN size(shared) > 0 THEN 0.9 * (1 + 0.5 * (size(shared) - 1)) ELSE 0 END AS interestTerm,
     4.0 * (rate - 0.12) AS conversionTerm,
     coalesce(0.3 * (a.rating - 4.0), 0) AS ratingTerm,
     coalesce(-0.03 * km, 0) AS distanceTerm,
     -0.8 * CASE WHEN openLeads < 40 THEN openLeads ELSE 40 END / 40.0 AS loadTerm
WITH *, modelTerm + interestTerm + conversionTerm + ratingTerm + distanceTerm + loadTerm AS score
WITH collect({a: a, d: d, km: km, model: model, deals: deals, shared: shared, rate: rate, openLeads: openLeads,
              score: score}) AS all
UNWIND CASE WHEN any(x IN all WHERE x.openLeads <= 40) THEN [x IN all WHERE x.openLeads <= 40] ELSE all END AS x
RETURN x.a.advisorId AS advisor, x.a.name AS name, x.d.name AS dealer, round(x.score, 3) AS score,
       round(x.km, 1) AS km, x.model.nameZh + ' 完成 ' + toString(x.deals) + ' 单' AS modelDeals,
       x.shared AS sharedHobbies, round(x.rate, 3) AS conversionRate, x.openLeads AS openLeads
ORDER BY score DESC, openLeads, advisor
LIMIT 3
