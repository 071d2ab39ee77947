"""The expiry job: record, once, that an assignment ran out.

Queries stop matching an expired assignment by themselves (the live predicate compares `expiresAt` to
now); this job writes the history entry (TagChange 'expired') and stamps `expiredAt` so it runs once.
"""

from __future__ import annotations

from datetime import UTC, datetime

from carkg.graph import Database


def expire(db: Database, now: datetime | None = None) -> int:
    """Mark every assignment past its `expiresAt` (and not removed); returns how many were marked."""
    rows = db.write("tags/expire", now=now or datetime.now(UTC))
    return int(rows[0]["expired"]) if rows else 0
