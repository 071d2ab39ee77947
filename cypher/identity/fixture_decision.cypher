// Test fixture: a steward decision per the contract (the steward module writes these for real).
MATCH (a:CustomerRecord {key: $a}), (b:CustomerRecord {key: $b})
CREATE (d:MatchDecision {id: $id, kind: $kind, reason: 'test', actor: 'test', at: datetime()})
CREATE (d)-[:BETWEEN]->(a), (d)-[:BETWEEN]->(b)
