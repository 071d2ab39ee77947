// How far the stewards are: cases open and decided, and decided since $since (a datetime, e.g. today's start).
// $since
MATCH (c:ReviewCase)
RETURN count(CASE WHEN c.status = 'open' THEN 1 END) AS open,
       count(CASE WHEN c.status = 'decided' THEN 1 END) AS decided,
       count(CASE WHEN c.status = 'decided' AND c.decidedAt >= $since THEN 1 END) AS decidedSince
