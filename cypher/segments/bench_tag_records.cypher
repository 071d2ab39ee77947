// The benchmark's deterministic tagging pass (run in an auto-commit session: CALL … IN TRANSACTIONS).
// high_purchase_intent: a lead at test_drive or booked stage, or a test-drive booking event.
// high_purchasing_power: a lead budget or an order price of 300,000 yuan or more.
// Assignments follow the tag contract (deterministic ids, source 'rule', actor 'bench-segments').
MATCH (r:CustomerRecord)
WHERE EXISTS { (r)-[:HAS_LEAD]->(l:Lead) WHERE l.stage IN ['test_drive', 'booked'] }
   OR EXISTS { (r)-[:PERFORMED]->(e:Event {type: 'book_test_drive'}) }
   OR EXISTS { (r)-[:HAS_LEAD]->(l:Lead) WHERE l.budgetYuan >= 300000 }
   OR EXISTS { (r)-[:PLACED]->(o:Order) WHERE o.priceYuan >= 300000 }
CALL (r) {
  WITH r, [c IN [
      CASE WHEN EXISTS { (r)-[:HAS_LEAD]->(l:Lead) WHERE l.stage IN ['test_drive', 'booked'] }
             OR EXISTS { (r)-[:PERFORMED]->(:Event {type: 'book_test_drive'}) } THEN 'high_purchase_intent' END,
      CASE WHEN EXISTS { (r)-[:HAS_LEAD]->(l:Lead) WHERE l.budgetYuan >= 300000 }
             OR EXISTS { (r)-[:PLACED]->(o:Order) WHERE o.priceYuan >= 300000 } THEN 'high_purchasing_power' END
    ] WHERE c IS NOT NULL] AS codes
  UNWIND codes AS code
  MATCH (t:Tag {code: code})
  MERGE (ta:TagAssignment {id: 'CustomerRecord|' + r.key + '|' + code})
    ON CREATE SET ta.tagCode = code, ta.targetKind = 'node', ta.value = true, ta.source = 'rule',
                  ta.actor = 'bench-segments', ta.confidence = 0.8, ta.at = datetime()
  MERGE (ta)-[:OF_TAG]->(t)
  MERGE (ta)-[:TAGS]->(r)
} IN TRANSACTIONS OF 5000 ROWS
