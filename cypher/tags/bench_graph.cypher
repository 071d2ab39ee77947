// `carkg tags bench` only, on the benchmark server: $records customer records `bench:C<i>`, each served
// by one of $advisors advisors `BA<i mod advisors>`, in batches of 10 000 (auto-commit transaction).
// :param records => 1000
// :param advisors => 100
UNWIND range(0, $records - 1) AS i
CALL (i) {
  MERGE (a:Advisor {advisorId: 'BA' + (i % $advisors)})
  MERGE (r:CustomerRecord {key: 'bench:C' + i})
  MERGE (r)-[:SERVED_BY]->(a)
} IN TRANSACTIONS OF 10000 ROWS
