// Saved segments the viewer may see, each with its last materialised run.
// OEM segments are visible to everyone; dealer segments to that dealer; advisor segments to that advisor.
// :param viewer => {all: true, advisorId: null, dealerId: null}
MATCH (s:Segment)
WHERE $viewer.all OR s.scope = 'oem'
   OR (s.scope = 'dealer' AND s.ownerId = $viewer.dealerId)
   OR (s.scope = 'advisor' AND s.ownerId = $viewer.advisorId)
RETURN s {.id, .name, .description, .scope, .ownerId, .owner, .latestVersion, .createdAt, .updatedAt,
          .builtin, .runs} AS segment,
       head(COLLECT { MATCH (s)-[:HAS_RUN]->(run:SegmentRun)
                      RETURN run {.runId, .seq, .at, .version, .count, .entered, .exited}
                      ORDER BY run.seq DESC LIMIT 1 }) AS lastRun
ORDER BY s.id
