// Scores on the Lead node (the latest) and, when the score changed, a LeadScore in its history.
// $rows: [{leadId, score, grade, probability, factors (JSON text)}], $modelVersion, $at
UNWIND $rows AS row
MATCH (l:Lead {leadId: row.leadId})
WITH l, row, l.score IS NULL OR l.score <> row.score OR l.grade <> row.grade AS changed
SET l.score = row.score, l.grade = row.grade, l.probability = row.probability, l.factors = row.factors,
    l.modelVersion = $modelVersion, l.scoredAt = $at
WITH l, row, changed WHERE changed
CREATE (l)-[:SCORED]->(:LeadScore {score: row.score, grade: row.grade, modelVersion: $modelVersion, at: $at})
