// How many source records the graph holds.
MATCH (r:CustomerRecord) RETURN count(r) AS records
