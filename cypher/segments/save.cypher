// Save a segment: every save is a new (:SegmentVersion); the (:Segment) keeps name, scope and owner.
// $id, $name, $description, $definition (JSON text), $scope 'oem'|'dealer'|'advisor', $ownerId (dealer or
// advisor id for scoped segments), $actor, $at, $builtin
MERGE (s:Segment {id: $id})
  ON CREATE SET s.createdAt = $at, s.latestVersion = 0, s.runs = 0
SET s.latestVersion = s.latestVersion + 1, s.name = $name, s.description = $description,
    s.scope = $scope, s.ownerId = $ownerId, s.owner = $actor, s.updatedAt = $at, s.builtin = $builtin
CREATE (v:SegmentVersion {segmentId: $id, version: s.latestVersion, definition: $definition, savedBy: $actor,
                          at: $at})
CREATE (s)-[:HAS_VERSION]->(v)
RETURN s.id AS id, v.version AS version
