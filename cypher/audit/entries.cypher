// The audit trail, newest first, optionally for one actor or one action.
// $actor (or null), $action (or null), $skip, $limit
MATCH (a:AuditEntry)
WHERE ($actor IS NULL OR a.actor = $actor) AND ($action IS NULL OR a.action = $action)
RETURN a {.*} AS entry
ORDER BY a.at DESC, a.id
SKIP $skip LIMIT $limit
