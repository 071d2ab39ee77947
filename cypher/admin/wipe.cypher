// Delete the whole graph (tests, benchmarks). Relationships first, so that no transaction has to
// detach a hub node (a material with thousands of events) all at once.
MATCH ()-[r]->()
CALL (r) { DELETE r } IN TRANSACTIONS OF 50000 ROWS;
MATCH (n)
CALL (n) { DELETE n } IN TRANSACTIONS OF 50000 ROWS;
