// Send a lead to an advisor: the one ASSIGNED_TO is replaced and says who assigned it, when and why; a
// LeadAssignment node keeps each change, with the advisors it was taken from.
// $leadId, $advisorId, $by, $reason, $at
MATCH (l:Lead {leadId: $leadId}), (a:Advisor {advisorId: $advisorId})
OPTIONAL MATCH (l)-[old:ASSIGNED_TO]->(prev:Advisor)
WITH l, a, collect(old) AS olds, [x IN collect(prev.advisorId) WHERE x <> $advisorId] AS previous
FOREACH (o IN olds | DELETE o)
CREATE (l)-[:ASSIGNED_TO {at: $at, by: $by, reason: $reason}]->(a)
CREATE (l)-[:HAS_ASSIGNMENT]->(:LeadAssignment {leadId: $leadId, advisorId: $advisorId, previous: previous,
                                                by: $by, reason: $reason, at: $at})
RETURN previous
