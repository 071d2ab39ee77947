"""A segment definition: nested AND / OR / NOT over conditions on a resolved customer (`:Person`).

Plain JSON in, pydantic out: every condition carries a `kind` (the discriminator), field names are
camelCase in JSON. Structural mistakes (unknown kind, empty IN list, bad operator) fail here with the
condition's path; checks that need the graph (unknown tag codes, saved-segment references, cycles)
and the clock (windows in the future) run in `carkg.segments.validate` / the compiler.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator
from pydantic.alias_generators import to_camel

from carkg.ingest.rows import EventType, LeadStage
from carkg.segments.dates import is_dynamic_date
from carkg.segments.errors import SegmentError, from_validation

Scalar = str | int | float | bool
TagSource = Literal["manual", "rule", "keyword", "model", "import", "steward"]
TagScope = Literal["oem", "dealer", "advisor"]
# Relationships a tag may sit on (tag contract: relType names the relationship from the record).
TaggedRelationship = Literal["SERVED_BY", "OWNS", "INTERESTED_IN", "CUSTOMER_OF", "HAS_LEAD"]
AttributeField = Literal["city", "gender", "birthYear", "system"]
NonEmpty = Annotated[list[Any], Field(min_length=1)]


def _date(value: str) -> str:
    if not is_dynamic_date(value):
        raise ValueError(f"not a date: {value!r} (use now, now-90d, start_of_month, 2026-10-01 or an ISO datetime)")
    return value


DynamicDate = Annotated[str, AfterValidator(_date)]


class _Base(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, alias_generator=to_camel, populate_by_name=True)


def _non_empty(name: str, values: list[Any] | None) -> None:
    if values is not None and not values:
        raise ValueError(f"empty IN list '{name}' (leave the field out to not filter on it)")


class Window(_Base):
    """A time range: `lastDays`, or `from` / `to` as dynamic or absolute dates (`to` defaults to now)."""

    from_: DynamicDate | None = Field(default=None, alias="from")
    to: DynamicDate | None = None
    last_days: int | None = Field(default=None, ge=1, le=36500)

    @model_validator(mode="after")
    def _check(self) -> Window:
        if self.last_days is not None and self.from_ is not None:
            raise ValueError("give either lastDays or from, not both")
        if self.last_days is None and self.from_ is None and self.to is None:
            raise ValueError("an empty window (give lastDays, from or to)")
        return self


class Occurrence(_Base):
    """First or last occurrence before and/or after a date."""

    before: DynamicDate | None = None
    after: DynamicDate | None = None

    @model_validator(mode="after")
    def _check(self) -> Occurrence:
        if self.before is None and self.after is None:
            raise ValueError("give before and/or after")
        return self


class TagCondition(_Base):
    """A live tag on one of the person's records, or on a relationship from one (`on`)."""

    kind: Literal["tag"]
    code: str = Field(min_length=1)
    on: TaggedRelationship | None = None
    min_confidence: float | None = Field(default=None, ge=0, le=1)
    sources: list[TagSource] | None = None
    scope: TagScope | None = None
    value: Scalar | None = None
    values: list[Scalar] | None = None

    @model_validator(mode="after")
    def _check(self) -> TagCondition:
        _non_empty("sources", self.sources)
        _non_empty("values", self.values)
        if self.value is not None and self.values is not None:
            raise ValueError("give value or values, not both")
        return self


class AttributeCondition(_Base):
    """A field of the person's records: true when any record satisfies it (`ne`: no record equals the
    value; `isNull`: no record has the field)."""

    kind: Literal["attribute"]
    field: AttributeField
    op: Literal["eq", "ne", "in", "range", "contains", "isNull"]
    value: Scalar | None = None
    values: list[Scalar] | None = None
    min: Scalar | None = None
    max: Scalar | None = None

    @model_validator(mode="after")
    def _check(self) -> AttributeCondition:
        need = {"eq": "value", "ne": "value", "contains": "value", "in": "values"}.get(self.op)
        if need == "value" and self.value is None:
            raise ValueError(f"op '{self.op}' needs value")
        if need == "values":
            if self.values is None:
                raise ValueError("op 'in' needs values")
            _non_empty("values", self.values)
        if self.op == "range" and self.min is None and self.max is None:
            raise ValueError("op 'range' needs min and/or max")
        if self.op == "contains" and not isinstance(self.value, str):
            raise ValueError("op 'contains' needs a text value")
        return self


class EventCondition(_Base):
    """Behaviour: at least `minCount` events of these types (and channels) within the window; optionally
    the first / last such event before / after a date."""

    kind: Literal["event"]
    types: Annotated[list[EventType], Field(min_length=1)]
    channels: list[str] | None = None
    min_count: int = Field(default=1, ge=1)
    window: Window | None = None
    first: Occurrence | None = None
    last: Occurrence | None = None

    @model_validator(mode="after")
    def _check(self) -> EventCondition:
        _non_empty("channels", self.channels)
        return self


class DistinctChannelsCondition(_Base):
    """Leads (optionally only some stages) and events (e.g. test-drive bookings) in ≥ `min` channels."""

    kind: Literal["distinctChannels"]
    lead_stages: list[LeadStage] | None = None
    include_leads: bool = True
    event_types: list[EventType] = Field(default_factory=list)
    min: int = Field(default=2, ge=1)
    window: Window | None = None

    @model_validator(mode="after")
    def _check(self) -> DistinctChannelsCondition:
        _non_empty("leadStages", self.lead_stages)
        if not self.include_leads and not self.event_types:
            raise ValueError("nothing to count: includeLeads is false and eventTypes is empty")
        return self


class LeadCondition(_Base):
    """At least `minCount` leads in these stages / channels / for these models, created within the window, and
    (when asked) scored at least `minScore` or graded one of `grades` by lead scoring."""

    kind: Literal["lead"]
    stages: list[LeadStage] | None = None
    channels: list[str] | None = None
    models: list[str] | None = None
    min_score: int | None = Field(default=None, ge=1, le=99)
    grades: list[Literal["A", "B", "C", "D"]] | None = None
    min_count: int = Field(default=1, ge=1)
    window: Window | None = None

    @model_validator(mode="after")
    def _check(self) -> LeadCondition:
        for name in ("stages", "channels", "models", "grades"):
            _non_empty(name, getattr(self, name))
        return self


class _ModelFilter(_Base):
    """Which vehicle models count: by brand, model code, body segment, energy (each an IN list)."""

    brands: list[str] | None = None
    models: list[str] | None = None
    segments: list[str] | None = None
    energies: list[str] | None = None

    @model_validator(mode="after")
    def _check_lists(self) -> _ModelFilter:
        for name in ("brands", "models", "segments", "energies"):
            _non_empty(name, getattr(self, name))
        return self


class VehicleCondition(_ModelFilter):
    """Owns at least `minCount` vehicles matching brand / model / segment / energy / age / resold.
    Vehicle age counts from its first ownership by anyone; resold = owned by records of 2+ persons."""

    kind: Literal["vehicle"]
    min_age_years: int | None = Field(default=None, ge=0)
    max_age_years: int | None = Field(default=None, ge=0)
    resold: bool | None = None
    min_count: int = Field(default=1, ge=1)

    @model_validator(mode="after")
    def _check(self) -> VehicleCondition:
        low, high = self.min_age_years, self.max_age_years
        if low is not None and high is not None and low > high:
            raise ValueError("minAgeYears is greater than maxAgeYears")
        return self


class InterestCondition(_ModelFilter):
    """Interest in a model (lead or keyword tagger `INTERESTED_IN`) of these brands / models / segments."""

    kind: Literal["interest"]


class RepeatBrandCondition(_Base):
    """Owns two vehicles of one brand, or owns one and has a lead for another model of that brand."""

    kind: Literal["repeatBrand"]


class HouseholdCondition(_Base):
    """Shares a household (SAME_HOUSEHOLD: a family phone or a home address, not the same person) with at
    least `minMembers` other customers; `evidence` keeps only households found through a phone or an address."""

    kind: Literal["household"]
    min_members: int = Field(default=1, ge=1, le=50)
    evidence: Literal["phone", "address"] | None = None


class SegmentCondition(_Base):
    """Member of another saved segment (its latest version unless `version` is given)."""

    kind: Literal["segment"]
    id: str = Field(min_length=1)
    version: int | None = Field(default=None, ge=1)


class AndCondition(_Base):
    kind: Literal["and"]
    conditions: Annotated[list[Condition], Field(min_length=1)]


class OrCondition(_Base):
    kind: Literal["or"]
    conditions: Annotated[list[Condition], Field(min_length=1)]


class NotCondition(_Base):
    kind: Literal["not"]
    condition: Condition


Condition = Annotated[
    AndCondition | OrCondition | NotCondition | TagCondition | AttributeCondition | EventCondition
    | DistinctChannelsCondition | LeadCondition | VehicleCondition | InterestCondition | RepeatBrandCondition
    | HouseholdCondition | SegmentCondition,
    Field(discriminator="kind"),
]
for _model in (AndCondition, OrCondition, NotCondition):
    _model.model_rebuild()

_ADAPTER: TypeAdapter[Condition] = TypeAdapter(Condition)


def parse(definition: Any) -> Condition:
    """A definition from JSON (dict or text); raises `SegmentError` naming the condition path."""
    try:
        if isinstance(definition, str | bytes):
            return _ADAPTER.validate_json(definition)
        return _ADAPTER.validate_python(definition)
    except ValidationError as exc:
        raise from_validation(exc) from None


def dump(condition: Condition) -> dict[str, Any]:
    """Plain JSON (camelCase, no nulls): what is saved and what `parse` reads back."""
    return _ADAPTER.dump_python(condition, by_alias=True, exclude_none=True, mode="json")


def children(condition: Condition, path: str) -> list[tuple[str, Condition]]:
    """The direct sub-conditions with their paths: the root `and`'s third child is `and[2]`, that
    child's first is `and[2].or[0]`; a `not`'s child is `…not`."""
    base = f"{path}.{condition.kind}" if path else condition.kind
    if isinstance(condition, AndCondition | OrCondition):
        return [(f"{base}[{i}]", c) for i, c in enumerate(condition.conditions)]
    if isinstance(condition, NotCondition):
        return [(base, condition.condition)]
    return []


def shown(path: str, condition: Condition) -> str:
    """How a path is printed: the root has none, so it is named by its kind."""
    return path or condition.kind


__all__ = ["Condition", "SegmentError", "dump", "parse"]
