// The households of customers: the other persons each shares a SAME_HOUSEHOLD with, and its evidence
// (identity/households). Row scope applies when the API loads each member as a Customer.
// $oneIds: the customers
UNWIND $oneIds AS oneId
MATCH (p:Person {oneId: oneId})
RETURN oneId, [(p)-[h:SAME_HOUSEHOLD]-(q:Person) | {oneId: q.oneId, evidence: h.evidence}] AS members
