// Everything around customer records that the API shows, in one round trip per page: identifiers
// (masked), vehicles (OWNS), advisors (SERVED_BY), dealers (CUSTOMER_OF), leads (HAS_LEAD) and the live
// tags on the record and on its relationships, in the tag scopes the viewer may see (OEM tags for all,
// dealer tags for that dealer, personal tags for their advisor; $viewer.admin sees all). A tag's
// `endKey` names the other end of the relationship it sits on.
// Given $oneIds instead of $keys, it reads whole customers in the same round trip: each record of theirs
// in the caller's row scope ($scope, as in api/records_by_key), with its fields and its RESOLVED_TO link,
// so a customer 360 costs one query.
// $keys or $oneIds (the other null); $viewer {admin, advisorId, dealerId}; $scope {all, advisorId, dealerId}
CALL {
  UNWIND coalesce($keys, []) AS key
  MATCH (r:CustomerRecord {key: key})
  RETURN r, key, null AS oneId, null AS link
  UNION
  UNWIND coalesce($oneIds, []) AS oneId
  MATCH (r:CustomerRecord)-[link:RESOLVED_TO]->(:Person {oneId: oneId})
  WHERE $scope.all
     OR EXISTS { (r)-[:SERVED_BY]->(:Advisor {advisorId: $scope.advisorId}) }
     OR EXISTS { (r)-[:CUSTOMER_OF]->(:Dealer {dealerId: $scope.dealerId}) }
     OR EXISTS { (r)-[:SERVED_BY]->(:Advisor)-[:WORKS_AT]->(:Dealer {dealerId: $scope.dealerId}) }
     OR EXISTS { (r)-[:HAS_LEAD]->(:Lead)-[:AT_DEALER]->(:Dealer {dealerId: $scope.dealerId}) }
     OR EXISTS { (r)-[:HAD_SERVICE]->(:ServiceVisit)-[:AT_DEALER]->(:Dealer {dealerId: $scope.dealerId}) }
  RETURN r, r.key AS key, oneId, link
}
RETURN key, oneId,
  CASE WHEN oneId IS NULL THEN null ELSE r {.key, .system, .sourceId, .name, .city, .gender, .birthDate, .createdAt} END
    AS record,
  CASE WHEN oneId IS NULL THEN null ELSE link {key: r.key, .method, .score, .runId, .at} END AS link,
  [(r)-[h:HAS_PHONE]->(p:Phone) | p {id: elementId(p), .masked, .mobile, .suspect, .suspectReason, role: h.role}]
    AS phones,
  [(r)-[:HAS_ID]->(i:IdDocument) | i {id: elementId(i), .masked, .kind, .suspect, .suspectReason}] AS idDocuments,
  [(r)-[:USES_DEVICE]->(d:Device) | d {id: elementId(d), .deviceId, .platform, .suspect, .suspectReason}] AS devices,
  [(r)-[:HAS_WECHAT]->(w:WeChatAccount) | w {id: elementId(w), .unionId, .suspect, .suspectReason}] AS wechatAccounts,
  [(r)-[o:OWNS]->(v:Vehicle) | {
    since: o.since, source: o.source, vehicle: v {.vin},
    model: head([(v)-[:OF_MODEL]->(m:VehicleModel) | m {.code, .nameZh, .nameEn}]),
    brand: head([(v)-[:OF_MODEL]->(:VehicleModel)-[:OF_BRAND]->(b:Brand) | b {.code, .name}])
  }] AS vehicles,
  [(r)-[s:SERVED_BY]->(a:Advisor) | {
    since: s.since, via: s.via, advisor: a {.advisorId, .name},
    dealer: head([(a)-[:WORKS_AT]->(d:Dealer) | d {.dealerId, .name, .city, brands: [(d)-[:SELLS]->(b:Brand) | b {.code, .name}]}])
  }] AS advisors,
  [(r)-[:CUSTOMER_OF]->(d:Dealer) | d {.dealerId, .name, .city, brands: [(d)-[:SELLS]->(b:Brand) | b {.code, .name}]}]
    AS dealers,
  [(r)-[:HAS_LEAD]->(l:Lead) | {
    lead: l {.leadId, .stage, .channel, .createdAt, .budgetYuan, .score, .grade, .probability, .factors,
             .modelVersion, .scoredAt},
    model: head([(l)-[:INTERESTED_IN]->(m:VehicleModel) | m {.code, .nameZh, .nameEn}]),
    advisor: head([(l)-[:ASSIGNED_TO]->(a:Advisor) | a {.advisorId, .name}]),
    dealer: head([(l)-[:AT_DEALER]->(d:Dealer) | d {.dealerId, .name, .city, brands: [(d)-[:SELLS]->(b:Brand) | b {.code, .name}]}])
  }] AS leads,
  [(r)<-[:TAGS|TAGS_FROM]-(ta:TagAssignment)-[:OF_TAG]->(t:Tag)
    WHERE ta.removedAt IS NULL AND (ta.expiresAt IS NULL OR ta.expiresAt > datetime())
      AND ($viewer.admin OR coalesce(t.scope, 'oem') = 'oem'
           OR (t.scope = 'dealer' AND t.ownerId = $viewer.dealerId)
           OR (t.scope = 'advisor' AND t.ownerId = $viewer.advisorId))
    | ta {
      .id, .tagCode, .value, .source, .actor, .confidence, .at, .expiresAt, .evidence, .targetKind, .relType,
      tagNameZh: t.nameZh, tagNameEn: t.nameEn,
      endKey: head([(ta)-[:TAGS_TO]->(e) | coalesce(e.vin, e.advisorId, e.leadId, e.materialId, e.code, e.dealerId)])
    }] AS tags
