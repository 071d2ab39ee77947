// Customer records that carry a phone number (E.164), in every source system.
// $e164: '+8613812345678'
MATCH (:Phone {e164: $e164})<-[:HAS_PHONE]-(r:CustomerRecord)
RETURN r.key AS key
ORDER BY key
LIMIT $limit
