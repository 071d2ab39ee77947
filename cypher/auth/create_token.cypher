// Store a new API token. Only its SHA-256 hash is kept; the token itself is shown to its owner once.
// $token {hash, name, role, advisorId, dealerId, prefix}
CREATE (t:ApiToken)
SET t = $token, t.createdAt = datetime()
RETURN t.name AS name
