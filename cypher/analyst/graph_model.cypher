// The graph model: every label and relationship type, as Neo4j sees them in this database. Customers
// (CustomerRecord, one per source system) resolve to a Person (One ID); identifiers (Phone, IdDocument,
// Device, WeChatAccount) are shared nodes; a TagAssignment tags a node, or a relationship by its two ends.
CALL db.schema.visualization()
