// Steward decisions on record pairs. One MatchDecision per pair (id from the two keys): a later decision
// on the same pair replaces the earlier one, whose kind comes back as `previous` for the audit trail.
// $pairs: [{id, a, b}]; $kind 'must_link' | 'cannot_link'; $reason; $actor; $caseId (or null)
UNWIND $pairs AS pair
MATCH (a:CustomerRecord {key: pair.a}), (b:CustomerRecord {key: pair.b})
MERGE (d:MatchDecision {id: pair.id})
WITH d, a, b, pair, d.kind AS previous
SET d.kind = $kind, d.reason = $reason, d.actor = $actor, d.at = datetime(), d.caseId = $caseId
MERGE (d)-[:BETWEEN]->(a)
MERGE (d)-[:BETWEEN]->(b)
RETURN pair.id AS id, pair.a AS a, pair.b AS b, previous
