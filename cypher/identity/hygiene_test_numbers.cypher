// Hygiene: numbers people type when a form insists on a phone (13800138000 …); $numbers are E.164.
UNWIND $numbers AS number
MATCH (p:Phone {e164: number})
WHERE p.suspect IS NULL
SET p.suspect = true, p.suspectAt = $at, p.suspectReason = 'known test number'
RETURN count(p) AS marked
