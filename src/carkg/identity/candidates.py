"""Candidate pairs: records that share at least one trustworthy identifier value (blocking by identifier).

Suspect identifiers never reach this step (see hygiene); a value shared by more than `max_group` records
produces no pairs at all, so one bad value cannot make the work quadratic.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from itertools import combinations

from carkg.identity.records import IDENTIFIERS, Record


def candidate_pairs(records: Sequence[Record], max_group: int) -> set[tuple[int, int]]:
    """Index pairs (i < j) into `records` that share some identifier value."""
    pairs: set[tuple[int, int]] = set()
    for kind in IDENTIFIERS:
        groups: dict[str, list[int]] = defaultdict(list)
        for i, rec in enumerate(records):
            for value in getattr(rec, kind):
                groups[value].append(i)
        for members in groups.values():
            if 1 < len(members) <= max_group:
                pairs.update(combinations(sorted(set(members)), 2))
    return pairs
