// The phones linked to the most customer records: candidates for identifier hygiene.
MATCH (p:Phone)<-[:HAS_PHONE]-(r:CustomerRecord)
WITH p, count(r) AS records, collect(DISTINCT r.system) AS systems
WHERE records > 2
OPTIONAL MATCH (p)<-[h:HAS_PHONE]-(d:Dealer)
RETURN p.masked AS phone, records, systems, collect(d.name) AS frontDeskOf
ORDER BY records DESC
LIMIT 25
