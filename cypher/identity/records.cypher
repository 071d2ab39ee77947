// Identity: the records to resolve (all when $keys is null) with their attributes, the identifiers
// they carry (suspect ones left out when $trustedOnly), the dealers and advisors they deal with (context for
// name matching) and the person they currently resolve to.
MATCH (r:CustomerRecord)
WHERE ($keys IS NULL OR r.key IN $keys) AND id(r) % $parts = $part  // read in $parts slices side by side
RETURN id(r) AS id, r.key AS key, r.system AS system, r.name AS name, r.namePinyin AS pinyin,
       r.city AS city, r.address AS address, r.postcode AS postcode, toString(r.birthDate) AS birthDate, r.gender AS gender,
       [(r)-[:HAS_PHONE]->(x:Phone) WHERE NOT ($trustedOnly AND coalesce(x.suspect, false)) | x.e164] AS phones,
       [(r)-[:HAS_ID]->(x:IdDocument) WHERE NOT ($trustedOnly AND coalesce(x.suspect, false)) | [x.hash, x.nearKeys]]
         AS documents,  // [hash, one-edit keys]: keys only on numbers without a check digit
       [(r)-[:USES_DEVICE]->(x:Device) WHERE NOT ($trustedOnly AND coalesce(x.suspect, false)) | x.deviceId] AS devices,
       [(r)-[:HAS_WECHAT]->(x:WeChatAccount) WHERE NOT ($trustedOnly AND coalesce(x.suspect, false)) | x.unionId]
         AS wechats,
       [(r)-[:OWNS]->(x:Vehicle) | x.vin] AS vins,
       [(r)-[:CUSTOMER_OF]->(d:Dealer) | d.dealerId] + [(r)-[:HAS_LEAD]->(:Lead)-[:AT_DEALER]->(d:Dealer) | d.dealerId]
         + [(r)-[:HAD_SERVICE]->(:ServiceVisit)-[:AT_DEALER]->(d:Dealer) | d.dealerId]
         + [(r)-[:SERVED_BY]->(:Advisor)-[:WORKS_AT]->(d:Dealer) | d.dealerId] AS dealers,
       [(r)-[:SERVED_BY]->(a:Advisor) | a.advisorId] + [(r)-[:HAS_LEAD]->(:Lead)-[:ASSIGNED_TO]->(a:Advisor) | a.advisorId]
         AS advisors,
       [(r)-[l:RESOLVED_TO]->(p:Person) | [p.oneId, l.method, l.score]][0] AS resolved
