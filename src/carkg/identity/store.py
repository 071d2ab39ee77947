"""Writing a run's results: pair evidence, review cases, persons and record → person links, in batches."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from carkg.graph import Database, cypher


def case_id(kind: str, keys: Sequence[str]) -> str:
    """Deterministic from the kind and the sorted record keys: a re-run finds the same open case."""
    digest = hashlib.sha1("|".join(sorted(keys)).encode("utf-8")).hexdigest()[:20]
    return f"{kind}-{digest}"


def _batches(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def write_rows(db: Database, name: str, rows: list[dict[str, Any]], batch_size: int, **params: Any) -> None:
    text = cypher(name)
    for batch in _batches(rows, batch_size):
        db.write_batch(text, batch, **params)


def sync_matches(db: Database, keys: list[str] | None, matches: list[dict[str, Any]], batch_size: int,
                 stamp: dict[str, Any]) -> int:
    """Make the stored MATCHES among the scope equal `matches`, touching only pairs that changed."""
    wanted = {(row["a"], row["b"]): row for row in matches}
    stale: list[dict[str, Any]] = []
    for row in db.read("identity/existing_matches", keys=keys):
        new = wanted.get((row["a"], row["b"]))
        same = new is not None and all(new[f] == row[f] for f in ("score", "decision"))
        if same:
            del wanted[(row["a"], row["b"])]
        else:
            stale.append({"rel": row["rel"]})
    write_rows(db, "identity/delete_matches", stale, batch_size)
    write_rows(db, "identity/write_matches", list(wanted.values()), batch_size, **stamp)
    return len(stale) + len(wanted)


def taken_one_ids(db: Database, one_ids: list[str]) -> set[str]:
    rows = db.read("identity/persons_exist", ids=one_ids)
    return set(rows[0]["taken"]) if rows else set()


def stamp(run_id: str, at: datetime) -> dict[str, Any]:
    return {"runId": run_id, "at": at}
