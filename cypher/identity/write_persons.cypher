// Persons: one per cluster, created on first sight, record count kept current.
UNWIND $rows AS row
MERGE (p:Person {oneId: row.oneId})
  ON CREATE SET p.createdAt = $at
SET p.updatedAt = $at, p.recordCount = row.recordCount
