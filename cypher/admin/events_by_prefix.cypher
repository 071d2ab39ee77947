// How many events whose id starts with $prefix the graph holds, and how many of them are not tied to exactly
// one customer record (a stored-twice or half-stored event). Read by the outage scenario to count what was
// lost or duplicated. $prefix
MATCH (e:Event) WHERE e.eventId STARTS WITH $prefix
RETURN count(e) AS stored,
       count(CASE WHEN COUNT { (:CustomerRecord)-[:PERFORMED]->(e) } <> 1 THEN 1 END) AS miswired
