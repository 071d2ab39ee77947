// Readiness: the database answers and the schema's constraints exist.
SHOW CONSTRAINTS YIELD name
RETURN count(name) AS constraints
