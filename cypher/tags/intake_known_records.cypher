// Event intake: which of the records the events name exist, and whether each event's caller may see its record
// (the row scope of records_by_key: a dealer app posts events for its own dealer's customers only). Events may
// name only known records, except WeCom external contacts not seen before, which are stubbed like the WeCom
// loader does.
// $rows [{i, key, scope {all, advisorId, dealerId}}]
UNWIND $rows AS row
MATCH (r:CustomerRecord {key: row.key})
WITH row, r, row.scope AS scope
RETURN row.i AS i,
       scope.all
       OR EXISTS { (r)-[:SERVED_BY]->(:Advisor {advisorId: scope.advisorId}) }
       OR EXISTS { (r)-[:CUSTOMER_OF]->(:Dealer {dealerId: scope.dealerId}) }
       OR EXISTS { (r)-[:SERVED_BY]->(:Advisor)-[:WORKS_AT]->(:Dealer {dealerId: scope.dealerId}) }
       OR EXISTS { (r)-[:HAS_LEAD]->(:Lead)-[:AT_DEALER]->(:Dealer {dealerId: scope.dealerId}) }
       OR EXISTS { (r)-[:HAD_SERVICE]->(:ServiceVisit)-[:AT_DEALER]->(:Dealer {dealerId: scope.dealerId}) }
       AS visible
