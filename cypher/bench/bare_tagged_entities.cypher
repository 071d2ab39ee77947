// The tag-filtered list (graphql/tagged_entities.graphql: a page of 20 of what carries one tag live) as
// one read, for the bare Starlette + driver endpoint of `carkg bench api --peers`. $code
MATCH (ta:TagAssignment {tagCode: $code})
WHERE ta.id IS NOT NULL AND ta.removedAt IS NULL AND coalesce(ta.expiresAt > datetime(), true)
WITH ta ORDER BY ta.tagCode, ta.id LIMIT 20
MATCH (ta)-[:TAGS|TAGS_FROM]->(n)
OPTIONAL MATCH (ta)-[:TAGS_TO]->(e)
RETURN collect({
  targetKind: ta.targetKind, relType: ta.relType,
  label: [l IN labels(n) WHERE l IN ['CustomerRecord', 'Person', 'Vehicle', 'Lead', 'Advisor', 'Dealer', 'Material',
                                      'VehicleModel']][0],
  key: coalesce(n.key, n.oneId, n.vin, n.leadId, n.advisorId, n.dealerId, n.materialId, n.code),
  endKey: coalesce(e.vin, e.advisorId, e.leadId, e.materialId, e.code),
  assignment: ta {.value, .confidence, .source, .actor, .at, .expiresAt, .evidence}
}) AS edges
