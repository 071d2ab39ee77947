"""A tag definition: what a code means, what values it takes, and who may see and use it."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.alias_generators import to_camel

from carkg.tags.assignment import Code

Category = Literal["attribute", "behaviour", "intent", "value", "lifecycle", "model_derived"]
ValueType = Literal["flag", "enum", "number", "range"]
Scope = Literal["oem", "dealer", "advisor"]
Status = Literal["active", "deprecated"]
Name = Annotated[str, Field(min_length=1, max_length=120)]


class TagDefinition(BaseModel):
    """OEM tags are seen by everyone; dealer tags by that dealer (`owner_id` = dealerId); advisor tags by
    that advisor only (`owner_id` = advisorId). Templates are OEM definitions a dealer copies, not used as is."""

    model_config = ConfigDict(frozen=True, extra="forbid", alias_generator=to_camel, populate_by_name=True)
    code: Code
    name_zh: Name
    name_en: Name
    category: Category
    value_type: ValueType = "flag"
    values: list[Annotated[str, Field(min_length=1)]] | None = None
    scope: Scope = "oem"
    owner_id: Annotated[str, Field(min_length=1)] | None = None
    status: Status = "active"
    template: bool = False
    description: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> TagDefinition:
        if self.value_type == "enum" and not self.values:
            raise ValueError("values: an enum tag needs its list of values")
        if self.value_type != "enum" and self.values:
            raise ValueError(f"values: only enum tags list values, not {self.value_type}")
        if self.values and len(set(self.values)) != len(self.values):
            raise ValueError("values: listed twice")
        if self.scope == "oem" and self.owner_id:
            raise ValueError("ownerId: an OEM tag has no owner")
        if self.scope != "oem" and not self.owner_id:
            raise ValueError(f"ownerId: a {self.scope} tag needs its {self.scope} id")
        if self.template and self.scope != "oem":
            raise ValueError("template: only OEM tags are templates")
        return self

    def properties(self) -> dict[str, Any]:
        """Node properties (camelCase; absent optional fields stored as null, i.e. not at all)."""
        return self.model_dump(by_alias=True)

    @classmethod
    def from_node(cls, props: dict[str, Any]) -> TagDefinition:
        known = {k: v for k, v in props.items() if k in _ALIASES and v is not None}
        return cls.model_validate(known)


_ALIASES = {to_camel(name) for name in TagDefinition.model_fields}
