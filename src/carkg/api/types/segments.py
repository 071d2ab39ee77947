"""GraphQL types for segments: members carry masked data only (OneID, masked name and phones, tag codes)."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

import strawberry
from strawberry.scalars import JSON

from carkg.api.types.convert import as_datetime
from carkg.segments.browser import literal


@strawberry.enum(description="Whose segment: OEM-wide, one dealer's, or one advisor's.")
class SegmentScope(Enum):
    OEM = "oem"
    DEALER = "dealer"
    ADVISOR = "advisor"


@strawberry.type(description="A resolved customer in a segment: OneID, masked name and phones, live tag codes.")
class SegmentMember:
    one_id: str
    masked_name: str | None
    masked_phones: list[str]
    tags: list[str]


@strawberry.type(description="One materialisation of a saved segment.")
class SegmentRun:
    run_id: str
    seq: int
    at: datetime | None
    version: int
    count: int | None
    entered: int | None
    exited: int | None

    @classmethod
    def from_row(cls, row: dict[str, Any] | None) -> SegmentRun | None:
        if row is None:
            return None
        return cls(run_id=row["runId"], seq=row["seq"], at=as_datetime(row.get("at")), version=row["version"],
                   count=row.get("count"), entered=row.get("entered"), exited=row.get("exited"))


@strawberry.type(description="A saved, versioned segment definition.")
class SavedSegment:
    id: str
    name: str
    description: str | None
    scope: SegmentScope
    owner_id: str | None
    owner: str | None
    latest_version: int
    builtin: bool
    created_at: datetime | None
    updated_at: datetime | None
    last_run: SegmentRun | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> SavedSegment:
        return cls(id=row["id"], name=row.get("name") or row["id"], description=row.get("description"),
                   scope=SegmentScope(row["scope"]), owner_id=row.get("ownerId"), owner=row.get("owner"),
                   latest_version=row["latestVersion"], builtin=bool(row.get("builtin")),
                   created_at=as_datetime(row.get("createdAt")), updated_at=as_datetime(row.get("updatedAt")),
                   last_run=SegmentRun.from_row(row.get("lastRun")))


@strawberry.type(description="Who entered and who left between two runs (OneIDs within your scope).")
class SegmentDiff:
    segment_id: str
    from_run: SegmentRun | None
    to_run: SegmentRun
    entered: list[str]
    exited: list[str]


@strawberry.type(description="The exact query a segment runs, to paste into Neo4j Browser.")
class SegmentExplanation:
    cypher: str
    params: JSON
    browser: str = strawberry.field(description="`:param` lines followed by the query")
    anchor: str = strawberry.field(description="where the query starts (an index, or the Person label)")


def json_params(params: dict[str, Any]) -> dict[str, Any]:
    """Dates and datetimes as their Cypher literal text (JSON has no date type)."""
    return {k: v if isinstance(v, str | int | float | bool | list | dict | type(None)) else literal(v)
            for k, v in params.items()}
