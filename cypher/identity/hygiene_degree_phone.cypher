// Hygiene: a Phone on the records of more distinct names than $maxNames is shared (a front desk, a test
// value, a sales agent's own e164), not a person's, so it is marked suspect and never links records.
MATCH (x:Phone)
WHERE x.suspect IS NULL AND COUNT { (x)<-[:HAS_PHONE]-(:CustomerRecord) } > $maxNames
MATCH (x)<-[:HAS_PHONE]-(r:CustomerRecord)
WITH x, count(r) AS records, count(DISTINCT coalesce(r.namePinyin, r.name)) AS names
WHERE names > $maxNames
SET x.suspect = true, x.suspectAt = $at, x.suspectReason = 'degree: ' + records + ' records with ' + names + ' distinct names'
RETURN count(x) AS marked
