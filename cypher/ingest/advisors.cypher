// Sales advisors, their dealer, their own mobile and the dealer manager's profile (languages, services,
// hobbies; carkg.advisors.tags turns it into tags).
UNWIND $rows AS row
MERGE (a:Advisor {advisorId: row.advisor_id})
SET a.name = row.advisor_name, a.brandCode = row.brand_code, a.rating = row.rating,
    a.languages = row.languages, a.services = row.services, a.interests = row.interests
MERGE (d:Dealer {dealerId: row.dealer_id})
MERGE (a)-[:WORKS_AT]->(d)
WITH a, row
WHERE row.mobile IS NOT NULL
MERGE (p:Phone {e164: row.mobile.e164})
  ON CREATE SET p.masked = row.mobile.masked, p.mobile = row.mobile.mobile
MERGE (a)-[h:HAS_PHONE]->(p)
SET h.role = 'advisor'
