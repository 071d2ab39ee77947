"""The shapes callers hand to `assign` / `unassign` and get back."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from carkg.tags.targets import Target

Source = Literal["manual", "rule", "keyword", "model", "import", "steward"]
Value = str | int | float | bool | None
Code = Annotated[str, Field(min_length=1, max_length=120, pattern=r"^[A-Za-z0-9_][A-Za-z0-9_:.@-]*$")]


def _now() -> datetime:
    return datetime.now(UTC)


class Assignment(BaseModel):
    """One tag on one target, with its provenance. Timestamps must carry a time zone."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    code: Code
    target: Target
    value: Value = None
    source: Source = "manual"
    actor: Annotated[str, Field(min_length=1, max_length=200)]
    confidence: Annotated[float, Field(ge=0.0, le=1.0)] = 1.0
    at: AwareDatetime = Field(default_factory=_now)
    expires_at: AwareDatetime | None = None
    evidence: list[str] | None = None

    @property
    def id(self) -> str:
        return self.target.assignment_id(self.code)

    def properties(self) -> dict[str, Any]:
        """What goes onto the TagAssignment node (camelCase, as the graph contract spells it)."""
        return {
            "value": self.value, "source": self.source, "actor": self.actor, "confidence": self.confidence,
            "at": self.at, "expiresAt": self.expires_at, "evidence": self.evidence,
        }


class Removal(BaseModel):
    """Take one tag off one target; the assignment stays, with `removedAt` and a 'removed' change."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    code: Code
    target: Target
    source: Source = "manual"
    actor: Annotated[str, Field(min_length=1, max_length=200)]
    at: AwareDatetime = Field(default_factory=_now)

    @property
    def id(self) -> str:
        return self.target.assignment_id(self.code)


Status = Literal["assigned", "updated", "unchanged", "removed", "missing_target", "not_assigned", "superseded"]


class AssignResult(BaseModel):
    """What happened to input row `row` (0-based): a change, or why nothing was written.

    `missing_target`: the node or relationship does not exist; `not_assigned`: nothing live to remove;
    `superseded`: a later row in the same batch set the same tag on the same target.
    """

    row: int
    id: str
    code: str
    status: Status

    @property
    def written(self) -> bool:
        return self.status in ("assigned", "updated", "unchanged", "removed")
