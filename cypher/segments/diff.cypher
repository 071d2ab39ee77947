// Who entered and who left a saved segment between two runs (default: the last run against the one before).
// A person is a member at run k when one of its intervals has sinceSeq <= k and (untilSeq null or > k).
// :param segmentId => 'brand_loyalist'
// :param fromRunId => null
// :param toRunId => null
MATCH (s:Segment {id: $segmentId})-[:HAS_RUN]->(to:SegmentRun)
WHERE $toRunId IS NULL OR to.runId = $toRunId
WITH s, to ORDER BY to.seq DESC LIMIT 1
WITH s, to, head(COLLECT {
  MATCH (s)-[:HAS_RUN]->(prev:SegmentRun)
  WHERE CASE WHEN $fromRunId IS NULL THEN prev.seq < to.seq ELSE prev.runId = $fromRunId END
  RETURN prev ORDER BY prev.seq DESC LIMIT 1 }) AS from
CALL (s, to, from) {
  OPTIONAL MATCH (s)-[m:INCLUDES]->(p:Person)
  WHERE m.sinceSeq <= to.seq OR (from IS NOT NULL AND m.sinceSeq <= from.seq)
  WITH p, collect(m) AS ms
  WITH p, any(x IN ms WHERE x.sinceSeq <= to.seq AND (x.untilSeq IS NULL OR x.untilSeq > to.seq)) AS nowIn,
       from IS NOT NULL AND any(x IN ms WHERE x.sinceSeq <= from.seq AND (x.untilSeq IS NULL OR x.untilSeq > from.seq))
         AS wasIn
  WITH p, nowIn, wasIn WHERE p IS NOT NULL AND nowIn <> wasIn
  WITH p, nowIn, wasIn ORDER BY p.oneId
  RETURN collect(CASE WHEN nowIn THEN p.oneId END) AS entered, collect(CASE WHEN wasIn THEN p.oneId END) AS exited
}
RETURN to {.runId, .seq, .at, .version, .count} AS toRun, from {.runId, .seq, .at, .version, .count} AS fromRun,
       entered, exited
