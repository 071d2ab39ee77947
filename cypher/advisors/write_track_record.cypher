// An advisor's track record as of $asOf: counts on the node, and KNOWS_MODEL {deals} to each model they
// closed deals or leads in, with the leads of that model they closed and converted (replaced, not added
// to: the record is recomputed from history every time).
// $asOf, $rows [{advisorId, closed, converted, rate, models [{code, deals, closed, converted}]}]
UNWIND $rows AS row
MATCH (a:Advisor {advisorId: row.advisorId})
SET a.closedLeads = row.closed, a.convertedLeads = row.converted, a.conversionRate = row.rate,
    a.trackRecordAsOf = $asOf
WITH a, row
CALL (a) {
  MATCH (a)-[k:KNOWS_MODEL]->()
  DELETE k
}
CALL (a, row) {
  UNWIND row.models AS known
  MATCH (m:VehicleModel {code: known.code})
  CREATE (a)-[:KNOWS_MODEL {deals: known.deals, closedLeads: known.closed, convertedLeads: known.converted}]->(m)
}
RETURN count(a) AS advisors
