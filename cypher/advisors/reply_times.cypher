// How fast each advisor answers: for every customer message before $asOf, the minutes until the advisor's
// next message to the same customer (unanswered messages do not count). Median and count per advisor.
// $asOf
MATCH (a:Advisor)<-[:WITH_ADVISOR]-(m:ChatMessage {direction: 'in'})-[:WITH_CUSTOMER]->(r:CustomerRecord)
WHERE m.at < $asOf
CALL (a, m, r) {
  MATCH (r)<-[:WITH_CUSTOMER]-(reply:ChatMessage {direction: 'out'})-[:WITH_ADVISOR]->(a)
  WHERE m.at < reply.at < $asOf
  RETURN min(reply.at) AS repliedAt
}
WITH a, repliedAt, m WHERE repliedAt IS NOT NULL
WITH a, duration.inSeconds(m.at, repliedAt).seconds / 60.0 AS minutes
RETURN a.advisorId AS advisorId, percentileCont(minutes, 0.5) AS medianMinutes, count(*) AS replies
