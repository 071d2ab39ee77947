// After-sales service visits: its own customer numbers, the vehicle serviced, the service dealer.
UNWIND $rows AS row
MERGE (r:CustomerRecord {key: row.record.key})
SET r += row.record
REMOVE r.stub
MERGE (v:Vehicle {vin: row.vin})
MERGE (s:ServiceVisit {serviceId: row.service_id})
SET s.date = row.service_date, s.mileageKm = row.mileage_km, s.type = row.service_type
MERGE (r)-[:HAD_SERVICE]->(s)
MERGE (s)-[:FOR_VEHICLE]->(v)
MERGE (r)-[own:OWNS]->(v)
  ON CREATE SET own.since = row.service_date, own.source = 'aftersales'
FOREACH (_ IN CASE WHEN row.phone IS NULL THEN [] ELSE [1] END |
  MERGE (p:Phone {e164: row.phone.e164})
    ON CREATE SET p.masked = row.phone.masked, p.mobile = row.phone.mobile
  MERGE (r)-[:HAS_PHONE]->(p)
)
FOREACH (_ IN CASE WHEN row.model_name IS NULL THEN [] ELSE [1] END |
  MERGE (vm:VehicleModel {code: row.model_name})
  MERGE (v)-[:OF_MODEL]->(vm)
)
FOREACH (_ IN CASE WHEN row.dealer_id IS NULL THEN [] ELSE [1] END |
  MERGE (d:Dealer {dealerId: row.dealer_id})
  MERGE (s)-[:AT_DEALER]->(d)
)
