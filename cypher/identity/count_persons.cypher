// How many resolved persons the graph holds (0 before the first identity run).
MATCH (p:Person) RETURN count(p) AS persons
