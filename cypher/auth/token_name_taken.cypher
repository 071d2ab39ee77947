// Whether a token of this name exists (names are unique so that revocation by name is unambiguous).
// $tokenName
MATCH (t:ApiToken {name: $tokenName})
RETURN t.name AS name
