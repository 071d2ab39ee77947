// Relationships in the database (from the count store: instant on any size).
MATCH ()-[r]->()
RETURN count(r) AS relationships
