// The expiry job: each assignment past its expiresAt, not removed and not yet marked, gets `expiredAt`
// and one TagChange 'expired'. Re-assigning clears `expiredAt`, so a later expiry is recorded again.
// :param now => datetime()
MATCH (ta:TagAssignment)
WHERE ta.expiresAt <= $now AND ta.removedAt IS NULL AND ta.expiredAt IS NULL
SET ta.expiredAt = $now
CREATE (:TagChange {at: $now, action: 'expired', value: ta.value, confidence: ta.confidence,
                    source: ta.source, actor: 'system:expiry'})-[:OF_ASSIGNMENT]->(ta)
RETURN count(ta) AS expired
