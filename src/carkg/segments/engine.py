"""Run a segment: parse → check against the graph → compile → one query (count, a page of members, all ids).

Members are resolved customers (`:Person`); records not yet resolved to a person are not members.
`scope` is `Principal.scope()` (row scope: a person is visible when any of its records is); `viewer`
is `Principal.viewer()` (which tag scopes may be used in conditions and shown on members).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from carkg.segments import model as m
from carkg.segments.browser import param_lines
from carkg.segments.compiler import Compiled, compile_segment
from carkg.segments.dates import CHINA
from carkg.segments.errors import SegmentError
from carkg.segments.validate import ALL_TAGS_VIEWER, Runner, SavedLookup, check_references, check_tags

EVERYONE = {"all": True, "advisorId": None, "dealerId": None}


@dataclass(frozen=True)
class Request:
    """Who asks and when: the row scope, the tag viewer, and `now` for dynamic dates."""

    scope: dict[str, object] = field(default_factory=lambda: dict(EVERYONE))
    viewer: dict[str, object] = field(default_factory=lambda: dict(ALL_TAGS_VIEWER))
    now: datetime | None = None

    def moment(self) -> datetime:
        return self.now or datetime.now(CHINA)


@dataclass(frozen=True)
class Member:
    one_id: str
    masked_name: str | None
    masked_phones: list[str]
    tags: list[str]


@dataclass(frozen=True)
class Page:
    members: list[Member]
    has_next: bool
    end_cursor: str | None


@dataclass(frozen=True)
class Explained:
    cypher: str
    params: dict[str, Any]
    anchor: str

    def browser(self) -> str:
        """`:param` lines, then the query: paste into Neo4j Browser as is."""
        return "\n".join([*param_lines(self.params), "", self.cypher])


def prepare(db: Runner, definition: Any, request: Request | None = None, *, self_id: str | None = None) -> Compiled:
    """A checked, compiled definition (JSON or parsed); raises `SegmentError` naming the condition."""
    request = request or Request()
    condition = definition if isinstance(definition, BaseModel) else m.parse(definition)
    check_tags(db, condition, request.viewer)  # type: ignore[arg-type]
    lookup = SavedLookup(db, request.viewer)
    check_references(condition, lookup)  # type: ignore[arg-type]
    try:
        compiled = compile_segment(condition, now=request.moment(), lookup=lookup, self_id=self_id)  # type: ignore[arg-type]
    except SegmentError as exc:
        raise SegmentError(exc.path or condition.kind, exc.reason) from None  # type: ignore[attr-defined]
    compiled.params["scope"] = request.scope
    compiled.params["viewer"] = request.viewer
    for c in (compiled, compiled.negated):
        if c is not None and len(c.anchors) > 1:
            c.start = min(c.anchors, key=lambda a: sum(_estimate(db, q, compiled.params) for q in a.estimates()))
    return compiled


_ESTIMATES: dict[tuple[str, str], tuple[float, int]] = {}
ESTIMATE_SECONDS = 300.0


def _estimate(db: Runner, text: str, params: dict[str, Any]) -> int:
    """Rows an anchor's index seek yields (cached for a few minutes: it only ranks anchors)."""
    key = (text, repr(sorted((k, repr(v)) for k, v in params.items() if f"${k}" in text)))
    hit = _ESTIMATES.get(key)
    if hit is None or time.monotonic() - hit[0] > ESTIMATE_SECONDS:
        hit = (time.monotonic(), int(db.query(text, params, write=False)[0]["n"]))
        if len(_ESTIMATES) > 1000:  # many different definitions: start over rather than grow
            _ESTIMATES.clear()
        _ESTIMATES[key] = hit
    return hit[1]


def count(db: Runner, definition: Any, request: Request | None = None) -> int:
    compiled = prepare(db, definition, request)
    return int(db.query(compiled.count_query(), compiled.params, write=False)[0]["count"])


def members(db: Runner, definition: Any, request: Request | None = None, *, first: int = 20,
            after: str | None = None) -> Page:
    """One page ordered by OneID; `after` is the last OneID of the previous page (keyset: no SKIP)."""
    compiled = prepare(db, definition, request)
    rows = db.query(compiled.members_query(), {**compiled.params, "after": after, "limit": first + 1}, write=False)
    page = [Member(r["oneId"], r["maskedName"], r["maskedPhones"], r["tags"]) for r in rows[:first]]
    return Page(page, has_next=len(rows) > first, end_cursor=page[-1].one_id if page else None)


def member_ids(db: Runner, definition: Any, request: Request | None = None, *, self_id: str | None = None) -> list[str]:
    compiled = prepare(db, definition, request, self_id=self_id)
    return [r["oneId"] for r in db.query(compiled.all_members_query(), compiled.params, write=False)]


def explain(db: Runner, definition: Any, request: Request | None = None, *, members: bool = False) -> Explained:
    """The exact query `count` (or `members`) runs, with its parameters."""
    compiled = prepare(db, definition, request)
    if members:
        return Explained(compiled.members_query(), {**compiled.params, "after": None, "limit": 21}, compiled.anchor)
    return Explained(compiled.count_query(), compiled.params, compiled.anchor)
