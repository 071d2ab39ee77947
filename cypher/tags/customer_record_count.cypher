// How many customer records there are: the denominator of tag coverage shares (count store, instant).
MATCH (r:CustomerRecord)
RETURN count(r) AS records
