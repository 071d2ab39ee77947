// One saved segment's header (null when absent): what a save checks before it adds a version.
// :param id => 'brand_loyalist'
MATCH (s:Segment {id: $id})
RETURN s {.id, .name, .description, .scope, .ownerId, .owner, .latestVersion, .createdAt, .updatedAt,
          .builtin, .runs} AS segment
