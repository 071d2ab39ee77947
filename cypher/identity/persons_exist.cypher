// Which of these oneIds already name a Person (a new cluster must not reuse one by accident).
UNWIND $ids AS id
MATCH (p:Person {oneId: id})
RETURN collect(id) AS taken
