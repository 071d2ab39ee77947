// The same car model under its different names: sales and after-sales spellings map to one model.
MATCH (m:VehicleModel)-[:OF_BRAND]->(b:Brand)
OPTIONAL MATCH (v:Vehicle)-[:OF_MODEL]->(m)
RETURN b.name AS brand, m.code AS model, m.nameZh AS nameZh, m.aliases AS aliases, count(v) AS vehicles
ORDER BY brand, model
