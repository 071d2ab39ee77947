// A page of leads, best score first (or newest first), in the caller's row scope: everything for the OEM
// and stewards, a dealer's (and its advisors') leads for a dealer or advisor token.
// $dealer, $minScore, $grade, $open (null = any); $orderBy 'SCORE_DESC' | 'CREATED_DESC';
// $scope {all, advisorId, dealerId}; $skip, $limit
MATCH (l:Lead)
WHERE ($minScore IS NULL OR l.score >= $minScore)
  AND ($grade IS NULL OR l.grade = $grade)
  AND ($open IS NULL OR (NOT l.stage IN ['won', 'lost']) = $open)
  AND ($dealer IS NULL OR EXISTS { (l)-[:AT_DEALER]->(:Dealer {dealerId: $dealer}) })
  AND ($scope.all
       OR EXISTS { (l)-[:AT_DEALER]->(:Dealer {dealerId: $scope.dealerId}) }
       OR EXISTS { (l)-[:ASSIGNED_TO]->(:Advisor {advisorId: $scope.advisorId}) })
WITH l ORDER BY CASE $orderBy WHEN 'SCORE_DESC' THEN coalesce(l.score, 0) ELSE 0 END DESC, l.createdAt DESC, l.leadId
SKIP $skip LIMIT $limit
RETURN l.leadId AS leadId
