// How many records carry each name (by pinyin): a common name is weaker evidence than a rare one.
MATCH (r:CustomerRecord)
WHERE r.namePinyin IS NOT NULL
RETURN r.namePinyin AS pinyin, count(*) AS records
