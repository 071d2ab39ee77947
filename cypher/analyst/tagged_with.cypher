// Customer records carrying one tag live (on the record or on one of its relationships), most confident
// first, with provenance. Try code 'trusts_advisor' for a relationship tag.
// :param code => 'budget_band'
// :param minConfidence => 0.5
MATCH (ta:TagAssignment {tagCode: $code})-[:TAGS|TAGS_FROM]->(r:CustomerRecord)
WHERE ta.removedAt IS NULL AND (ta.expiresAt IS NULL OR ta.expiresAt > datetime())
  AND ta.confidence >= $minConfidence
OPTIONAL MATCH (ta)-[:TAGS_TO]->(other)
RETURN r.key AS customer, r.name AS name, ta.value AS value, coalesce(ta.relType, '(on the customer)') AS on,
       coalesce(other.name, other.advisorId, other.vin, other.leadId, other.code, other.materialId) AS otherEnd,
       ta.confidence AS confidence, ta.source AS source, ta.actor AS actor, ta.at AS at, ta.expiresAt AS expires,
       ta.evidence AS evidence
ORDER BY confidence DESC, customer
LIMIT 500
