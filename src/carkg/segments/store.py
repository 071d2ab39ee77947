"""Saved segments: versioned definitions, materialised runs as membership intervals, diffs, exports.

Storage (why): `(:Segment)-[:HAS_VERSION]->(:SegmentVersion {version, definition})` keeps every save;
`(:Segment)-[:HAS_RUN]->(:SegmentRun {runId, seq, at, version, count, entered, exited})` records each
materialisation; membership is `(:Segment)-[:INCLUDES {sinceSeq, since, untilSeq?, until?}]->(:Person)`,
one relationship per *interval* of membership rather than one per member per run. Storage grows with
changes, not with runs, and a diff between any two runs reads only that segment's intervals — no set
difference of two full member lists in the client.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel

from carkg.graph.cypher import cypher
from carkg.segments import model as m
from carkg.segments.dates import CHINA
from carkg.segments.engine import Request, member_ids, prepare
from carkg.segments.errors import SegmentError
from carkg.segments.validate import Runner

SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
Scope = Literal["oem", "dealer", "advisor"]


@dataclass(frozen=True)
class Owner:
    """Who saves, and whose segment it is: OEM-wide, one dealer's, or one advisor's."""

    actor: str
    scope: Scope = "oem"
    owner_id: str | None = None

    def __post_init__(self) -> None:
        if self.scope == "oem" and self.owner_id is not None:
            raise SegmentError("", "an OEM segment has no ownerId")
        if self.scope != "oem" and not self.owner_id:
            raise SegmentError("", f"a {self.scope} segment needs the {self.scope} id as ownerId")


@dataclass(frozen=True)
class Saved:
    id: str
    version: int


@dataclass(frozen=True)
class Diff:
    segment_id: str
    to_run: dict[str, Any]
    from_run: dict[str, Any] | None
    entered: list[str]
    exited: list[str]


def get(db: Runner, segment_id: str) -> dict[str, Any] | None:
    rows = db.query(cypher("segments/get"), {"id": segment_id}, write=False)
    return rows[0]["segment"] if rows else None


def definition(db: Runner, segment_id: str, version: int | None = None) -> tuple[int, m.Condition]:
    rows = db.query(cypher("segments/definition"), {"id": segment_id, "version": version}, write=False)
    if not rows:
        raise SegmentError("", f"unknown segment '{segment_id}'" + (f" version {version}" if version else ""))
    return rows[0]["version"], m.parse(json.loads(rows[0]["definition"]))


def save(db: Runner, segment_id: str, condition: Any, owner: Owner, *, name: str | None = None,
         description: str | None = None, builtin: bool = False, request: Request | None = None) -> Saved:
    """A new version of `segment_id` (created on first save). The definition is checked and compiled
    first — unknown tags, missing or cyclic references fail here, naming the condition."""
    if not SLUG.match(segment_id):
        raise SegmentError("", f"segment id {segment_id!r}: use lower-case letters, digits, '_' and '-'")
    parsed = condition if isinstance(condition, BaseModel) else m.parse(condition)
    prepare(db, parsed, request, self_id=segment_id)
    existing = get(db, segment_id)
    if existing and (existing["scope"], existing["ownerId"]) != (owner.scope, owner.owner_id):
        raise SegmentError("", f"segment '{segment_id}' belongs to {existing['scope']} "
                               f"{existing['ownerId'] or ''}".rstrip() + "; save it under another id")
    row = db.query(cypher("segments/save"), {
        "id": segment_id, "name": name or (existing or {}).get("name") or segment_id,
        "description": description if description is not None else (existing or {}).get("description"),
        "definition": json.dumps(m.dump(parsed), ensure_ascii=False, sort_keys=True),  # type: ignore[arg-type]
        "scope": owner.scope, "ownerId": owner.owner_id, "actor": owner.actor, "at": datetime.now(CHINA),
        "builtin": builtin,
    })[0]
    return Saved(row["id"], row["version"])


def saved_segments(db: Runner, viewer: dict[str, object] | None = None) -> list[dict[str, Any]]:
    """Saved segments visible to `viewer` ({all, advisorId, dealerId}; default: all), with their last run."""
    view = viewer or {"all": True, "advisorId": None, "dealerId": None}
    return [{**r["segment"], "lastRun": r["lastRun"]} for r in db.query(cypher("segments/list"), {"viewer": view},
                                                                           write=False)]


def materialise(db: Runner, segment_id: str, *, actor: str, now: datetime | None = None) -> dict[str, Any]:
    """Run the latest version over the whole graph (no row scope: a saved segment's membership is the
    OEM's truth; scoped callers see it through their scope) and store who is in as of now."""
    version, parsed = definition(db, segment_id)
    at = now or datetime.now(CHINA)
    ids = member_ids(db, parsed, Request(now=at), self_id=segment_id)
    rows = db.query(cypher("segments/materialise"), {
        "segmentId": segment_id, "runId": f"{segment_id}:{uuid.uuid4().hex[:12]}", "version": version,
        "at": at, "actor": actor, "oneIds": ids,
    })
    return rows[0]["run"]


def diff(db: Runner, segment_id: str, *, from_run: str | None = None, to_run: str | None = None) -> Diff:
    """Entered and exited between two runs; by default the last run against the one before it (a first
    run reports everyone as entered)."""
    rows = db.query(cypher("segments/diff"), {"segmentId": segment_id, "fromRunId": from_run, "toRunId": to_run},
                    write=False)
    if not rows:
        raise SegmentError("", f"segment '{segment_id}' has no materialised run" +
                           (f" '{to_run}'" if to_run else "") + " (materialise it first)")
    row = rows[0]
    if from_run is not None and row["fromRun"] is None:
        raise SegmentError("", f"segment '{segment_id}' has no run '{from_run}'")
    return Diff(segment_id, row["toRun"], row["fromRun"], row["entered"], row["exited"])


def export_rows(db: Runner, ids: list[str], viewer: dict[str, object] | None = None) -> list[dict[str, Any]]:
    """OneIDs with their visible live tag codes — what leaves the system; never names, phones or ids."""
    view = viewer or {"admin": True, "advisorId": None, "dealerId": None}
    out: list[dict[str, Any]] = []
    for start in range(0, len(ids), 5000):
        out += db.query(cypher("segments/tags_of"), {"oneIds": ids[start:start + 5000], "viewer": view}, write=False)
    return out


def in_scope(db: Runner, ids: list[str], scope: dict[str, object]) -> list[str]:
    """The OneIDs of `ids` the row scope lets the caller see, in the given order."""
    if scope.get("all"):
        return ids
    seen = {r["oneId"] for r in db.query(cypher("segments/in_scope"), {"oneIds": ids, "scope": scope}, write=False)}
    return [i for i in ids if i in seen]
