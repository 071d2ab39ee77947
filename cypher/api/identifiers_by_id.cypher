// Identifier nodes (phone, ID document, device, WeChat account) by element id, masked.
// $ids: element ids (the API's global ids of identifiers carry them, never the identifier itself)
UNWIND $ids AS id
MATCH (n)
WHERE elementId(n) = id AND (n:Phone OR n:IdDocument OR n:Device OR n:WeChatAccount)
RETURN id, n {id: elementId(n), label: labels(n)[0], .masked, .mobile, .kind, .deviceId, .platform, .unionId,
              .suspect, .suspectReason} AS identifier
