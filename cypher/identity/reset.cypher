// Forget every One ID result (benchmarks start cold): links, pair evidence, persons, cases, suspect flags.
// Steward decisions (MatchDecision) are kept. Several statements; run one by one.
MATCH (:CustomerRecord)-[l:RESOLVED_TO|MATCHES]->()
CALL (l) { DELETE l } IN TRANSACTIONS OF 50000 ROWS;
MATCH (n) WHERE n:Person OR n:ReviewCase
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 20000 ROWS;
MATCH (x) WHERE (x:Phone OR x:IdDocument OR x:Device OR x:WeChatAccount) AND x.suspect IS NOT NULL
CALL (x) { REMOVE x.suspect, x.suspectReason } IN TRANSACTIONS OF 50000 ROWS;
