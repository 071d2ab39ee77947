// A dealer's point from its latitude/longitude columns. `ingest/dealers` sets it row by row; bulk import
// files cannot carry points, so a bulk load runs this once after the import.
MATCH (d:Dealer)
WHERE d.latitude IS NOT NULL AND d.longitude IS NOT NULL
SET d.location = point({latitude: d.latitude, longitude: d.longitude})
