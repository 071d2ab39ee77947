// What benchmark clients draw from (the soak, the API peers): persons to read, customer records to tag and post
// events for, the busiest live tag codes to list, materials to open. A random sample, so each draw is cheap. $size
CALL { MATCH (p:Person) WITH p ORDER BY rand() LIMIT $size RETURN collect(p.oneId) AS oneIds }
CALL { MATCH (r:CustomerRecord) WHERE r.stub IS NULL WITH r ORDER BY rand() LIMIT $size
       RETURN collect(r.key) AS keys }
CALL { MATCH (ta:TagAssignment) WHERE ta.removedAt IS NULL
       WITH ta.tagCode AS code, count(*) AS n ORDER BY n DESC LIMIT 10 RETURN collect(code) AS codes }
CALL { MATCH (m:Material) WITH m LIMIT 50 RETURN collect(m.materialId) AS materials }
RETURN oneIds, keys, codes, materials
