// Revoke a token by name; it stops working once the API's token cache expires (CARKG_API_TOKEN_CACHE_SECONDS).
// $tokenName
MATCH (t:ApiToken {name: $tokenName})
WHERE t.revokedAt IS NULL
SET t.revokedAt = datetime()
RETURN count(t) AS revoked
