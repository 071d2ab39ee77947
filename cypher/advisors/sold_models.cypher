// The models each advisor sold before $asOf: DMS orders of the customers they serve.
// $asOf
MATCH (a:Advisor)<-[:SERVED_BY]-(r:CustomerRecord {system: 'dms'})-[:PLACED]->(o:Order)
WHERE o.date < date($asOf)
MATCH (o)-[:FOR_VEHICLE]->(:Vehicle)-[:OF_MODEL]->(m:VehicleModel)
RETURN a.advisorId AS advisorId, m.code AS model, count(DISTINCT o) AS sold
