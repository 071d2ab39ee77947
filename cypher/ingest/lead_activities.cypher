// Lead follow-up activities: immutable facts keyed by activity id (a replay is harmless). A lead not
// loaded yet is created as a stub and filled in when its lead row arrives.
UNWIND $rows AS row
OPTIONAL MATCH (known:LeadActivity {activityId: row.activity_id})
WITH row WHERE known IS NULL
MERGE (l:Lead {leadId: row.lead_id})
CREATE (a:LeadActivity {activityId: row.activity_id, type: row.type, at: row.at})
CREATE (l)-[:HAD]->(a)
