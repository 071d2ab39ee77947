// The two tags the benchmark's segments use, created only when the tag library does not have them yet.
MERGE (t:Tag {code: 'high_purchase_intent'})
  ON CREATE SET t.nameZh = '高购买意向', t.nameEn = 'High purchase intent', t.category = 'intent',
                t.valueType = 'boolean', t.scope = 'oem', t.status = 'active'
MERGE (u:Tag {code: 'high_purchasing_power'})
  ON CREATE SET u.nameZh = '高购买力', u.nameEn = 'High purchasing power', u.category = 'wealth',
                u.valueType = 'boolean', u.scope = 'oem', u.status = 'active'
