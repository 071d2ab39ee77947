// The live (not revoked) token with this hash, or nothing.
// $hash: hex SHA-256 of the bearer token
MATCH (t:ApiToken {hash: $hash})
WHERE t.revokedAt IS NULL
RETURN t {.name, .role, .advisorId, .dealerId} AS token
