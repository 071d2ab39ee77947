// One saved segment's definition: the latest version, or $version.
// :param id => 'brand_loyalist'
// :param version => null
MATCH (s:Segment {id: $id})-[:HAS_VERSION]->(v:SegmentVersion)
WHERE ($version IS NULL AND v.version = s.latestVersion) OR v.version = $version
RETURN s.id AS id, v.version AS version, v.definition AS definition, s.scope AS scope, s.ownerId AS ownerId
