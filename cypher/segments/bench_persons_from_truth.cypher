// BENCHMARK FALLBACK ONLY (used when carkg.identity is not importable): one Person per true person of the
// demo truth file, every record of it RESOLVED_TO that person. Not identity resolution — it is the answer key.
// $rows: [{key: 'dms:C0000001', pid: 'P0000054'}]
UNWIND $rows AS row
MATCH (r:CustomerRecord {key: row.key})
MERGE (p:Person {oneId: 'OID-' + row.pid})
  ON CREATE SET p.createdAt = datetime(), p.recordCount = 0
SET p.updatedAt = datetime(), p.recordCount = p.recordCount + 1
MERGE (r)-[:RESOLVED_TO {method: 'score', score: 1.0, runId: 'bench-truth-fallback', at: datetime()}]->(p)
