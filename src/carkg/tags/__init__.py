"""Tags: the tag library, assignment, and the automatic taggers (rules, keywords)."""
