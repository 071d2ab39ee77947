// Nodes in the database: the bulk import only ever replaces a store that holds none.
MATCH (n)
RETURN count(n) AS nodes
