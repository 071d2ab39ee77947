// What was known about each lead at its decision point — nothing dated at or after it is read: the lead's
// own fields (not its stage or advisor, which the lead system overwrites with the outcome), its
// follow-up activities, and the person behind it after One ID: their records created before, WeCom
// events and chats in the 30 days before, cars owned (and of the brand of interest), earlier leads, tags.
// $leads: [{leadId, decisionAt}]
UNWIND $leads AS row
MATCH (r:CustomerRecord)-[:HAS_LEAD]->(l:Lead {leadId: row.leadId})
WITH r, l, row.decisionAt AS t, row.decisionAt - duration({days: 30}) AS monthBefore
CALL (r) {  // the record and the others of its person (a pattern never uses a relationship twice: o <> r)
  OPTIONAL MATCH (r)-[:RESOLVED_TO]->(:Person)<-[:RESOLVED_TO]-(o:CustomerRecord)
  WITH collect(DISTINCT o) AS others
  RETURN [r] + others AS records
}
// (a record's createdAt is a date in some systems and a datetime in others: compared as days)
WITH l, t, monthBefore, [o IN records WHERE o = r OR date(o.createdAt) < date(t)] AS known,
     head([(l)-[:INTERESTED_IN]->(:VehicleModel)-[:OF_BRAND]->(b:Brand) | b.code]) AS brand
RETURN l.leadId AS leadId,
  l.createdAt AS createdAt,
  l.channel AS channel,
  l.budgetYuan AS budgetYuan,
  brand,
  [(l)-[:HAD]->(a:LeadActivity) WHERE a.at < t | {type: a.type, at: a.at}] AS activities,
  size(known) AS records,
  size([o IN known WHERE o.system = 'wecom']) AS wecomRecords,
  COLLECT { UNWIND known AS o MATCH (o)-[:PERFORMED]->(e:Event) WHERE monthBefore <= e.at < t
            RETURN {type: e.type, at: e.at} } AS events,
  COLLECT { UNWIND known AS o MATCH (m:ChatMessage {direction: 'in'})-[:WITH_CUSTOMER]->(o)
            WHERE monthBefore <= m.at < t RETURN m.at } AS chatsIn,
  COUNT { UNWIND known AS o MATCH (o)-[own:OWNS]->(:Vehicle) WHERE own.since < date(t) RETURN DISTINCT own } AS carsOwned,
  COUNT { UNWIND known AS o MATCH (o)-[own:OWNS]->(:Vehicle)-[:OF_MODEL]->(:VehicleModel)-[:OF_BRAND]->(b:Brand)
          WHERE own.since < date(t) AND b.code = brand RETURN DISTINCT own } AS carsOfBrand,
  COUNT { UNWIND known AS o MATCH (o)-[:HAS_LEAD]->(other:Lead) WHERE other <> l AND other.createdAt < t
          RETURN DISTINCT other } AS earlierLeads,
  COUNT { UNWIND known AS o MATCH (ta:TagAssignment)-[:TAGS|TAGS_FROM]->(o) WHERE ta.at < t
          RETURN DISTINCT ta } AS tags,
  t AS decisionAt
