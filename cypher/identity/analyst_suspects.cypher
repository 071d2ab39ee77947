// Analyst: identifiers kept out of linking, why, and how many records carry them.
MATCH (x)
WHERE (x:Phone OR x:IdDocument OR x:Device OR x:WeChatAccount) AND x.suspect = true
RETURN labels(x)[0] AS kind, coalesce(x.masked, x.deviceId, x.unionId) AS identifier, x.suspectReason AS reason,
       COUNT { (x)<-[]-(:CustomerRecord) } AS records
ORDER BY records DESC
LIMIT 100
