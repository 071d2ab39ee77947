// Keyword and rule tags: a customer who names a model in chat, or reads its brochure, is interested in it.
// MERGEd so the relationship exists before it is tagged (a relationship tag needs its relationship).
// $rows [{key, model, at, source: 'keyword' | 'rule'}]
UNWIND $rows AS row
MATCH (r:CustomerRecord {key: row.key}), (vm:VehicleModel {code: row.model})
MERGE (r)-[i:INTERESTED_IN]->(vm)
  ON CREATE SET i.since = row.at, i.source = row.source
SET i.lastMentionedAt = CASE WHEN i.lastMentionedAt IS NULL OR row.at > i.lastMentionedAt
                             THEN row.at ELSE i.lastMentionedAt END
RETURN row.key AS key, row.model AS model
