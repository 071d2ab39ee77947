// Delete the whole graph in batches (tests and `carkg demo reset` only).
MATCH (n)
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
