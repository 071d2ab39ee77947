"""What "live" means for a tag assignment, as the exact Cypher text every tag query uses.

Cypher files cannot import each other, so each query that returns tags spells this predicate out
(on an assignment bound to `ta`); `tests/test_tags_live.py` checks they all say the same.
"""

LIVE = "ta.removedAt IS NULL AND (ta.expiresAt IS NULL OR ta.expiresAt > datetime())"
# The same predicate for a query that pages assignments straight from an index in its order: the planner
# splits LIVE's OR into two index seeks (losing the order), never a function of the property.
LIVE_IN_INDEX_ORDER = "ta.removedAt IS NULL AND coalesce(ta.expiresAt > datetime(), true)"
