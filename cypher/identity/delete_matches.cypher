// Pair evidence that no longer holds (the pair fell below the review threshold, or changed).
UNWIND $rows AS row
MATCH ()-[m:MATCHES]->() WHERE elementId(m) = row.rel
DELETE m
