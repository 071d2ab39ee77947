// The customer-360 answer (graphql/customer_360.graphql) as one response-shaped read: what a bare
// Starlette + driver endpoint runs in `carkg bench api --peers`, the ceiling for a Python service. Same
// records, identifiers (masked), vehicles, advisors and the live OEM-scope tags an analyst sees.
// $oneId
MATCH (p:Person {oneId: $oneId})
RETURN p {
  .oneId,
  records: [(r:CustomerRecord)-[l:RESOLVED_TO]->(p) | {
    method: l.method, score: l.score,
    node: r {
      .key, .system, .name, .city,
      phones: [(r)-[:HAS_PHONE]->(ph:Phone) | ph {.masked, .suspect}],
      idDocuments: [(r)-[:HAS_ID]->(i:IdDocument) | i {.masked}],
      wechatAccounts: [(r)-[:HAS_WECHAT]->(w:WeChatAccount) |
        {maskedUnionId: CASE WHEN size(w.unionId) > 10 THEN left(w.unionId, 4) + '****' + right(w.unionId, 4)
                             ELSE left(w.unionId, 2) + '****' END}],
      vehicles: [(r)-[o:OWNS]->(v:Vehicle) | {
        since: o.since,
        node: v {.vin, model: head([(v)-[:OF_MODEL]->(m:VehicleModel) |
                                    m {.code, .nameZh, brand: head([(m)-[:OF_BRAND]->(b:Brand) | b {.name}])}])},
        tags: [(r)<-[:TAGS_FROM]-(ta:TagAssignment)-[:TAGS_TO]->(v)
               WHERE ta.removedAt IS NULL AND (ta.expiresAt IS NULL OR ta.expiresAt > datetime())
               | ta {.tagCode, .confidence}]
      }],
      advisors: [(r)-[:SERVED_BY]->(a:Advisor) | {
        node: a {.advisorId, .name, dealer: head([(a)-[:WORKS_AT]->(d:Dealer) | d {.dealerId, .name}])},
        tags: [(r)<-[:TAGS_FROM]-(ta:TagAssignment)-[:TAGS_TO]->(a)
               WHERE ta.removedAt IS NULL AND (ta.expiresAt IS NULL OR ta.expiresAt > datetime())
               | ta {.tagCode, .value, .confidence, .source}]
      }],
      tags: [(r)<-[:TAGS]-(ta:TagAssignment)-[:OF_TAG]->(t:Tag)
             WHERE ta.removedAt IS NULL AND (ta.expiresAt IS NULL OR ta.expiresAt > datetime())
               AND coalesce(t.scope, 'oem') = 'oem'
             | ta {.tagCode, .value, .confidence, .source, .at}]
    }
  }]
} AS customer
