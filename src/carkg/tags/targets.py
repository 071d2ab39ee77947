"""What a tag may sit on: a few node labels and the customer record's relationships.

A relationship cannot be the end of another relationship in Neo4j, so a relationship tag points at
both ends of it and names the type; the ids below are deterministic so re-tagging updates in place.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from carkg.graph.model import NODE_KEYS, NodeLabel, RelType

# Node labels a tag may sit on, with the property that names each node.
TAGGABLE_LABELS: dict[NodeLabel, str] = {
    label: NODE_KEYS[label]
    for label in (
        NodeLabel.CUSTOMER_RECORD, NodeLabel.PERSON, NodeLabel.VEHICLE, NodeLabel.LEAD, NodeLabel.ADVISOR,
        NodeLabel.DEALER, NodeLabel.MATERIAL, NodeLabel.VEHICLE_MODEL,
    )
}

# Relationships a tag may sit on: all start at a CustomerRecord; the value is the label at the end.
TAGGABLE_RELATIONSHIPS: dict[RelType, NodeLabel] = {
    RelType.SERVED_BY: NodeLabel.ADVISOR,
    RelType.OWNS: NodeLabel.VEHICLE,
    RelType.HAS_LEAD: NodeLabel.LEAD,
    RelType.INTERESTED_IN: NodeLabel.VEHICLE_MODEL,
    RelType.ENGAGED_WITH: NodeLabel.MATERIAL,
}

NodeLabelName = Literal["CustomerRecord", "Person", "Vehicle", "Lead", "Advisor", "Dealer", "Material", "VehicleModel"]
RelTypeName = Literal["SERVED_BY", "OWNS", "HAS_LEAD", "INTERESTED_IN", "ENGAGED_WITH"]
Key = Annotated[str, Field(min_length=1, max_length=200)]


class NodeTarget(BaseModel):
    """A node, by label and natural key (CustomerRecord.key, Advisor.advisorId, Vehicle.vin, …)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    kind: Literal["node"] = "node"
    label: NodeLabelName
    key: Key

    def assignment_id(self, code: str) -> str:
        return f"{self.label}|{self.key}|{code}"

    def describe(self) -> str:
        return f"({self.label} {self.key})"


class RelationshipTarget(BaseModel):
    """`(:CustomerRecord {key: start_key})-[:rel_type]->(end {natural key: end_key})`; it must exist."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    kind: Literal["relationship"] = "relationship"
    rel_type: RelTypeName
    start_key: Key
    end_key: Key

    @property
    def end_label(self) -> NodeLabel:
        return TAGGABLE_RELATIONSHIPS[RelType(self.rel_type)]

    def assignment_id(self, code: str) -> str:
        return f"{self.rel_type}|{self.start_key}|{self.end_key}|{code}"

    def describe(self) -> str:
        return f"(CustomerRecord {self.start_key})-[:{self.rel_type}]->({self.end_label} {self.end_key})"


# Plain union: `extra="forbid"` tells the two shapes apart, so dicts need no `kind`.
Target = NodeTarget | RelationshipTarget
