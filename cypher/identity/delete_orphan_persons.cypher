// Persons left without any record (merged into another, or their records split away) are removed.
MATCH (p:Person)
WHERE NOT EXISTS { (p)<-[:RESOLVED_TO]-(:CustomerRecord) }
DETACH DELETE p
RETURN count(*) AS deleted
