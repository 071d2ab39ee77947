// Every advisor with the dealer manager's profile (languages, services, hobbies) and rating.
MATCH (a:Advisor)
RETURN a.advisorId AS advisorId, a.rating AS rating, coalesce(a.languages, []) AS languages,
       coalesce(a.services, []) AS services, coalesce(a.interests, []) AS interests
ORDER BY advisorId
