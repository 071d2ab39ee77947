// Event intake: which of these customer record keys exist (events may only name known records, except
// WeCom external contacts, which are stubbed like the WeCom loader does).
UNWIND $keys AS key
MATCH (r:CustomerRecord {key: key})
RETURN r.key AS key
