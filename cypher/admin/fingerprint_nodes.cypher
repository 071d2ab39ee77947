// Every node's labels and properties, for a fingerprint that compares two loads of the same exports.
MATCH (n)
RETURN labels(n) AS labels, properties(n) AS props
