"""OneIDs that stay put: a cluster keeps the person most of its records already resolve to.

Clusters claim existing oneIds largest first, so when a person splits the bigger part keeps the id. A
cluster with no existing person gets 'P' + 16 hex digits of SHA-1 over its smallest record key: the same
on every run for the same data, and irrelevant once the person exists (records joining later inherit it).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence

from carkg.identity.records import Record


def new_one_id(smallest_key: str, attempt: int = 0) -> str:
    seed = smallest_key if attempt == 0 else f"{smallest_key}#{attempt}"
    return "P" + hashlib.sha1(seed.encode("utf-8")).hexdigest()[:16].upper()


def assign_one_ids(records: Sequence[Record], clusters: list[list[int]], taken: set[str] | None = None) -> list[str]:
    """One oneId per cluster (same order as `clusters`); `taken` are ids in use outside the scope."""
    claimed: set[str] = set(taken or ())
    out: list[str | None] = [None] * len(clusters)
    order = sorted(range(len(clusters)), key=lambda c: (-len(clusters[c]), min(records[i].key for i in clusters[c])))
    for c in order:
        votes = Counter(records[i].one_id for i in clusters[c] if records[i].one_id)
        for one_id, _ in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0])):
            if one_id not in claimed:
                out[c] = one_id
                claimed.add(one_id)
                break
    for c in order:
        if out[c] is None:
            smallest = min(records[i].key for i in clusters[c])
            attempt = 0
            while (candidate := new_one_id(smallest, attempt)) in claimed:
                attempt += 1
            out[c] = candidate
            claimed.add(candidate)
    return [one_id for one_id in out if one_id is not None]
