// The leads worth a call first at each dealer: the five best-scored open leads per dealer, with the
// reasons lead scoring gave (run `carkg leads score` first). Paste into Neo4j Browser; the table view
// reads best.
MATCH (d:Dealer)<-[:AT_DEALER]-(l:Lead)
WHERE l.score IS NOT NULL AND NOT l.stage IN ['won', 'lost']
WITH d, l ORDER BY l.score DESC, l.createdAt DESC
WITH d, collect(l)[..5] AS best
UNWIND best AS l
OPTIONAL MATCH (l)-[:ASSIGNED_TO]->(a:Advisor)
OPTIONAL MATCH (l)-[:INTERESTED_IN]->(m:VehicleModel)
RETURN d.name AS dealer, l.leadId AS lead, l.score AS score, l.grade AS grade, l.channel AS channel,
       m.nameZh AS model, a.name AS advisor, l.factors AS factors, l.scoredAt AS scoredAt
ORDER BY dealer, score DESC
