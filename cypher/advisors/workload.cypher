// Open leads per advisor: assigned, not won or lost, created in the $activeDays before $asOf.
// $asOf, $activeDays, $openStages
MATCH (l:Lead)-[:ASSIGNED_TO]->(a:Advisor)
WHERE l.stage IN $openStages AND l.createdAt < $asOf AND l.createdAt >= $asOf - duration({days: $activeDays})
RETURN a.advisorId AS advisorId, count(l) AS open
