// One customer record with its identifiers (masked), vehicles, advisors, dealers and leads.
// $key: the record key, e.g. 'dms:C000123'
MATCH (r:CustomerRecord {key: $key})
RETURN r {
  .key, .system, .sourceId, .name, .city, .gender, .birthDate,
  phones: [(r)-[:HAS_PHONE]->(p:Phone) | p {.masked, .mobile}],
  idDocuments: [(r)-[:HAS_ID]->(i:IdDocument) | i {.masked, .kind}],
  wechat: [(r)-[:HAS_WECHAT]->(w:WeChatAccount) | w.unionId],
  devices: [(r)-[:USES_DEVICE]->(d:Device) | d.deviceId],
  vehicles: [(r)-[o:OWNS]->(v:Vehicle) | v {
    .vin, since: o.since, source: o.source,
    model: head([(v)-[:OF_MODEL]->(m:VehicleModel)-[:OF_BRAND]->(b:Brand) | m {.code, .nameZh, .nameEn, brand: b.name}])
  }],
  advisors: [(r)-[:SERVED_BY]->(a:Advisor) | a {.advisorId, .name}],
  dealers: [(r)-[:CUSTOMER_OF]->(d:Dealer) | d {.dealerId, .name, .city}],
  leads: [(r)-[:HAS_LEAD]->(l:Lead) | l {.leadId, .stage, .channel, .createdAt}]
} AS record
