// The scores each lead has had, newest first (a LeadScore is written only when the score or grade changed).
// $ids: lead ids
UNWIND $ids AS id
MATCH (l:Lead {leadId: id})
RETURN id AS leadId,
       COLLECT { MATCH (l)-[:SCORED]->(s:LeadScore) RETURN s {.score, .grade, .modelVersion, .at} ORDER BY s.at DESC }
         AS entries
