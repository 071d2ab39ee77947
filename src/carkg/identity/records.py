"""What the resolver knows about each source record, read from the graph in one set-based query."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from carkg.graph import Database
from carkg.identifiers.names import name_pinyin

IDENTIFIERS = ("ids", "phones", "wechats", "devices", "vins")
"""The identifier kinds a record can share with another, strongest first."""


@dataclass(slots=True)
class Record:
    id: int  # internal node id: what GDS reports and what the writes seek on
    key: str
    system: str
    name: str | None
    pinyin: str | None
    city: str | None
    birth_date: str | None
    gender: str | None
    ids: tuple[str, ...]
    phones: tuple[str, ...]
    wechats: tuple[str, ...]
    devices: tuple[str, ...]
    vins: tuple[str, ...]
    address: str | None = None
    postcode: str | None = None
    id_near: frozenset[str] = frozenset()  # one-edit keys of its document numbers (see near_document_keys)
    checked_ids: tuple[str, ...] = ()  # its documents with a check digit (身份证): two of them are two people
    dealers: frozenset[str] = frozenset()  # context: where the record was served, not an identifier
    advisors: frozenset[str] = frozenset()
    one_id: str | None = None  # the person it resolves to now
    method: str | None = None
    score: float | None = None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Record:
        name = (row["name"] or "").strip() or None
        pinyin = row["pinyin"]
        if name and not pinyin:  # pypinyin only when the loader did not store it
            try:
                pinyin = name_pinyin(name)
            except ValueError:
                pinyin = None
        resolved = row["resolved"] or [None, None, None]
        documents = row["documents"]
        return cls(
            id=row["id"], key=row["key"], system=row["system"] or "", name=name, pinyin=pinyin or None,
            city=row["city"] or None, birth_date=row["birthDate"] or None, gender=row["gender"] or None,
            ids=tuple(h for h, _ in documents), phones=tuple(row["phones"]), wechats=tuple(row["wechats"]),
            devices=tuple(row["devices"]), vins=tuple(row["vins"]),
            address=row.get("address") or None, postcode=row.get("postcode") or None,
            id_near=frozenset(k for _, near in documents for k in near or ()),
            checked_ids=tuple(h for h, near in documents if near is None),
            dealers=frozenset(row.get("dealers") or ()), advisors=frozenset(row.get("advisors") or ()),
            one_id=resolved[0], method=resolved[1], score=resolved[2],
        )


def load_records(
    db: Database, keys: list[str] | None = None, *, trusted_only: bool = True, parts: int = 2
) -> list[Record]:
    """All records (or those with `keys`); `trusted_only` leaves suspect identifiers out.

    Read in `parts` slices on parallel sessions: one Cypher query runs on one server core."""

    def part(i: int) -> list[Record]:
        rows = db.read("identity/records", keys=keys, trustedOnly=trusted_only, parts=parts, part=i)
        return [Record.from_row(row) for row in rows]

    with ThreadPoolExecutor(max_workers=parts) as pool:
        slices = list(pool.map(part, range(parts)))
    return [rec for records in slices for rec in records]
