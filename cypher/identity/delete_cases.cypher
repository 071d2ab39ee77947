// Remove open review cases that no longer apply (never a decided one).
UNWIND $rows AS row
MATCH (c:ReviewCase {caseId: row.caseId, status: 'open'})
DETACH DELETE c
