// Hygiene: a phone that belongs to a dealer (front desk) or an advisor is typed into customer records
// by staff; it says nothing about who the customer is. Also any record phone with role front_desk.
MATCH (p:Phone)
WHERE p.suspect IS NULL
  AND (EXISTS { (p)<-[:HAS_PHONE]-(:Dealer) } OR EXISTS { (p)<-[:HAS_PHONE]-(:Advisor) }
       OR EXISTS { (p)<-[:HAS_PHONE {role: 'front_desk'}]-(:CustomerRecord) })
SET p.suspect = true,
    p.suspectReason = CASE
      WHEN EXISTS { (p)<-[:HAS_PHONE]-(:Dealer) } THEN 'dealer phone: ' +
        COLLECT { MATCH (p)<-[:HAS_PHONE]-(d:Dealer) RETURN d.dealerId }[0]
      WHEN EXISTS { (p)<-[:HAS_PHONE]-(:Advisor) } THEN 'advisor phone: ' +
        COLLECT { MATCH (p)<-[:HAS_PHONE]-(a:Advisor) RETURN a.advisorId }[0]
      ELSE 'front-desk role on a record' END
RETURN count(p) AS marked
