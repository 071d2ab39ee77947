// Customer → lead edges (HAS_LEAD) with the lead's channel, model of interest, advisor and dealer.
// $keys
UNWIND $keys AS key
MATCH (r:CustomerRecord {key: key})
RETURN key, [(r)-[:HAS_LEAD]->(l:Lead) | {
  lead: l {.leadId, .stage, .channel, .createdAt, .budgetYuan},
  model: head([(l)-[:INTERESTED_IN]->(m:VehicleModel) | m {.code, .nameZh, .nameEn}]),
  advisor: head([(l)-[:ASSIGNED_TO]->(a:Advisor) | a {.advisorId, .name}]),
  dealer: head([(l)-[:AT_DEALER]->(d:Dealer) | d {.dealerId, .name, .city, brands: [(d)-[:SELLS]->(b:Brand) | b {.code, .name}]}])
}] AS leads
