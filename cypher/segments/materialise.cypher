// Store a run's members as membership intervals (:Segment)-[:INCLUDES {sinceSeq, since, untilSeq?, until?}]->(:Person).
// A person already in gets `seenSeq` bumped; a new one gets a new interval; open intervals not seen in
// this run are closed. Storage grows with changes, not with runs, and a diff reads one segment's intervals.
// $segmentId, $runId, $version, $at, $actor, $oneIds (the members now, computed by the compiled query)
MATCH (s:Segment {id: $segmentId})
SET s.runs = coalesce(s.runs, 0) + 1
CREATE (run:SegmentRun {runId: $runId, segmentId: $segmentId, seq: s.runs, version: $version, at: $at,
                        actor: $actor})
CREATE (s)-[:HAS_RUN]->(run)
WITH s, run
CALL (s, run) {
  UNWIND $oneIds AS oneId
  MATCH (p:Person {oneId: oneId})
  OPTIONAL MATCH (s)-[cur:INCLUDES]->(p) WHERE cur.untilSeq IS NULL
  FOREACH (_ IN CASE WHEN cur IS NULL THEN [1] ELSE [] END |
    CREATE (s)-[:INCLUDES {sinceSeq: run.seq, since: run.at, seenSeq: run.seq}]->(p))
  SET cur.seenSeq = run.seq
  RETURN count(*) AS members, count(*) - count(cur) AS entered
}
CALL (s, run) {
  OPTIONAL MATCH (s)-[gone:INCLUDES]->(:Person) WHERE gone.untilSeq IS NULL AND gone.seenSeq < run.seq
  SET gone.untilSeq = run.seq, gone.until = run.at
  RETURN count(gone) AS exited
}
SET run.count = members, run.entered = entered, run.exited = exited
RETURN run {.runId, .seq, .at, .version, .count, .entered, .exited} AS run
