// Every relationship by type, its ends by label and natural key ($keys: label -> key property), and its
// properties: internal ids differ between two loads, natural keys do not.
MATCH (a)-[r]->(b)
RETURN type(r) AS type, head(labels(a)) AS fromLabel, a[$keys[head(labels(a))]] AS fromKey,
       head(labels(b)) AS toLabel, b[$keys[head(labels(b))]] AS toKey, properties(r) AS props
