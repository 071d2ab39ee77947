// One line of the audit trail: who did what to which value, when, and why.
// $entry {id, actor, role, action, target, field, reason, requestId}
CREATE (a:AuditEntry)
SET a = $entry, a.at = datetime()
RETURN a {.*} AS entry
