// Incremental run: the records not yet resolved. Their candidates (any candidate or blocking rule) and the
// records of those candidates' persons are added in Python (resolve._widen), over the one read of all
// records that blocking needs anyway; none here means there is nothing new to resolve.
MATCH (r:CustomerRecord)
WHERE NOT EXISTS { (r)-[:RESOLVED_TO]->(:Person) }
RETURN r.key AS key
