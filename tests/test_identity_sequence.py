"""Sequence neutrality: the same records loaded in any order and resolved incrementally after each batch
give the same persons as one full run, and a person that did not change keeps its OneID."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from carkg.demo import generate
from carkg.graph import Database
from carkg.identity import resolve
from carkg.ingest import Loader

_FIELDS = ("key", "system", "name", "pinyin", "city", "gender", "birthDate", "address", "postcode", "phones",
           "devices", "wechats", "vins", "dealers", "advisors")


def demo_rows(db: Database, key: bytes, tmp_path: Path) -> list[dict[str, Any]]:
    """A small demo through the real loaders, read back as plain records with every identifier, dealer and
    advisor they carry: rows that can be loaded again in any order."""
    result = generate(tmp_path / "exports", customers=300, seed=5)
    Loader(db, key=key, batch_size=2000).load(result.out_dir, tmp_path / "rejects.csv")
    rows = db.read("identity/records", keys=None, trustedOnly=False, parts=1, part=0)
    return [{**{name: row[name] for name in _FIELDS}, "ids": [h for h, _ in row["documents"]],
             "idNear": [near for _, near in row["documents"]]} for row in rows]


def load(db: Database, rows: list[dict[str, Any]]) -> None:
    db.write("identity/fixture_records", rows=rows)


def partition(db: Database) -> dict[str, frozenset[str]]:
    """OneID → its records."""
    out: dict[str, set[str]] = {}
    for row in db.read("identity/persons_of"):
        out.setdefault(row["oneId"], set()).add(row["key"])
    return {one_id: frozenset(keys) for one_id, keys in out.items()}


def test_three_shuffled_batches_resolved_incrementally_give_the_full_run(
    db: Database, key: bytes, tmp_path: Path
) -> None:
    rows = demo_rows(db, key, tmp_path)
    db.wipe()
    db.apply_schema()
    load(db, rows)
    resolve(db)
    full = set(partition(db).values())
    assert sum(1 for members in full if len(members) > 1) > 50  # a real test: many multi-record persons

    db.wipe()
    db.apply_schema()
    shuffled = rows[:]
    random.Random(7).shuffle(shuffled)
    third = len(shuffled) // 3
    snapshots = []
    for batch in (shuffled[:third], shuffled[third : 2 * third], shuffled[2 * third :]):
        load(db, batch)
        resolve(db, incremental=True)
        snapshots.append(partition(db))
    assert set(snapshots[-1].values()) == full

    before, after = snapshots[1], snapshots[2]
    unchanged = {one_id for one_id, members in before.items() if members in set(after.values())}
    assert unchanged, "some persons must be untouched by the last batch"
    assert all(after.get(one_id) == before[one_id] for one_id in unchanged)  # stable OneIDs
