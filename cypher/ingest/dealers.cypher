// Dealers, where they are, the brands they sell and their front-desk phone (a known source of false links).
UNWIND $rows AS row
MERGE (d:Dealer {dealerId: row.dealer_id})
SET d.name = row.dealer_name, d.city = row.city, d.latitude = row.latitude, d.longitude = row.longitude,
    d.location = CASE WHEN row.latitude IS NULL THEN null
                      ELSE point({latitude: row.latitude, longitude: row.longitude}) END
FOREACH (code IN row.brand_codes |
  MERGE (b:Brand {code: code})
  MERGE (d)-[:SELLS]->(b)
)
WITH d, row
WHERE row.front_desk_phone IS NOT NULL
MERGE (p:Phone {e164: row.front_desk_phone.e164})
  ON CREATE SET p.masked = row.front_desk_phone.masked, p.mobile = row.front_desk_phone.mobile
MERGE (d)-[h:HAS_PHONE]->(p)
SET h.role = 'front_desk'
