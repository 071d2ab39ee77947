"""What "live" means for a tag assignment, as the exact Cypher text every tag query uses.

Cypher files cannot import each other, so each query that returns tags spells this predicate out
(on an assignment bound to `ta`); `tests/test_tags_live.py` checks they all say the same.
"""

LIVE = "ta.removedAt IS NULL AND (ta.expiresAt IS NULL OR ta.expiresAt > datetime())"
