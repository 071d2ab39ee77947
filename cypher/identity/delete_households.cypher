// Households of the persons in $oneIds (all when null) go before they are rebuilt (households.cypher):
// a family phone that became suspect, or two persons that became one, leave no household behind.
// :param oneIds => null
MATCH (p:Person)-[h:SAME_HOUSEHOLD]-()
WHERE $oneIds IS NULL OR p.oneId IN $oneIds
WITH DISTINCT h
DELETE h
