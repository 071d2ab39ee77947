// Hygiene: a phone that belongs to a dealer (front desk) or an advisor is typed into customer records
// by staff; it says nothing about who the customer is. Starts from the few staff nodes, not all phones.
CALL () {
  MATCH (d:Dealer)-[:HAS_PHONE]->(p:Phone)
  WHERE p.suspect IS NULL
  RETURN p, 'dealer phone: ' + d.dealerId AS reason
  UNION
  MATCH (a:Advisor)-[:HAS_PHONE]->(p:Phone)
  WHERE p.suspect IS NULL
  RETURN p, 'advisor phone: ' + a.advisorId AS reason
}
WITH p, collect(reason)[0] AS reason
SET p.suspect = true, p.suspectAt = $at, p.suspectReason = reason
RETURN count(p) AS marked
