// Hygiene: a record phone a loader tagged with role 'front_desk' (a source that says so itself).
MATCH (:CustomerRecord)-[:HAS_PHONE {role: 'front_desk'}]->(p:Phone)
WHERE p.suspect IS NULL
WITH DISTINCT p
SET p.suspect = true, p.suspectAt = $at, p.suspectReason = 'front-desk role on a record'
RETURN count(p) AS marked
