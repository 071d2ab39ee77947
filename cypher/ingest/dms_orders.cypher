// DMS orders: customer -PLACED-> order -FOR_VEHICLE-> vehicle, ownership, canonical model.
UNWIND $rows AS row
MERGE (r:CustomerRecord {key: row.customer_key})
  ON CREATE SET r.system = 'dms', r.sourceId = row.customer_id, r.stub = true
MERGE (o:Order {orderId: row.order_id})
SET o.date = row.order_date, o.priceYuan = row.price_yuan
MERGE (v:Vehicle {vin: row.vin})
MERGE (r)-[:PLACED]->(o)
MERGE (o)-[:FOR_VEHICLE]->(v)
MERGE (r)-[own:OWNS]->(v)
  ON CREATE SET own.since = row.order_date, own.source = 'dms'
WITH v, row
WHERE row.model IS NOT NULL
MERGE (vm:VehicleModel {code: row.model})
MERGE (v)-[:OF_MODEL]->(vm)
