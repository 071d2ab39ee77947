// What each advisor wrote to customers in the $days before $asOf, newest $perAdvisor messages each: the
// keyword tagger reads the hobbies they mention ("我也常去钓鱼").
// $asOf, $days, $perAdvisor
MATCH (a:Advisor)<-[:WITH_ADVISOR]-(m:ChatMessage {direction: 'out'})
WHERE $asOf - duration({days: $days}) <= m.at < $asOf
WITH a, m ORDER BY m.at DESC
WITH a, collect(m.text)[..$perAdvisor] AS texts
RETURN a.advisorId AS advisorId, texts
