// One customer's whole network: every record, identifier, vehicle, advisor and dealer around them,
// two hops out. Paste into Neo4j Browser and switch to the graph view.
// :param key => 'dms:C0000001'
MATCH path = (r:CustomerRecord {key: $key})-[*1..2]-(n)
WHERE NOT n:ChatMessage AND NOT n:Event
RETURN path
LIMIT 300
