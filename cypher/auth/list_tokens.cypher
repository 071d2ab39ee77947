// Every API token with its owner binding; never the hash.
MATCH (t:ApiToken)
RETURN t {.name, .role, .advisorId, .dealerId, .prefix, .createdAt, .revokedAt} AS token
ORDER BY t.createdAt
