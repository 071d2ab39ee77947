// Rule files may define the tags they introduce: which of these codes already exist (those are left as
// they are, so a definition edited or deprecated since is never reset by a restart).
// $codes
UNWIND $codes AS code
MATCH (t:Tag {code: code})
RETURN t.code AS code
