// The raw E.164 of one phone, for a steward's audited reveal (the API writes the audit entry first).
// $id: the phone's element id (its GraphQL id carries it)
MATCH (p:Phone)
WHERE elementId(p) = $id
RETURN p.e164 AS e164, p.masked AS masked
