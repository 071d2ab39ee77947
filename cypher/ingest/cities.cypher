// City centres from loaders/reference/cities.csv: where a customer whose address names only a city is
// placed for distances (Neo4j points, WGS-84; `point.distance` gives metres).
// $rows: [{city, province, latitude, longitude}]
UNWIND $rows AS row
MERGE (c:City {name: row.city})
SET c.province = row.province, c.location = point({latitude: row.latitude, longitude: row.longitude})
