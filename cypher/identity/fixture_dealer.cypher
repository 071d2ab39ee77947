// Test fixture: a dealer with its front-desk phone, as the dealer loader writes it.
MERGE (d:Dealer {dealerId: $dealerId})
MERGE (p:Phone {e164: $phone})
MERGE (d)-[h:HAS_PHONE]->(p)
SET h.role = 'front_desk'
