// The RESOLVED_TO of records whose person, method or score changes (rewritten right after).
UNWIND $rows AS row
MATCH (r:CustomerRecord)-[old:RESOLVED_TO]->(:Person) WHERE id(r) = row.id
DELETE old
