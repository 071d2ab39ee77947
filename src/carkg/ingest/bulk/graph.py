"""The graph a load would build, held in memory with Cypher's MERGE / SET / CREATE semantics.

The bulk path cannot ask the database whether a node exists, so this is where `MERGE` is decided:
a node is one entry per (label, natural key), a merged relationship one entry per (type, start,
end). Property writes follow Cypher exactly: `SET n.x = null` and `SET n += {x: null}` remove `x`,
`ON CREATE SET` only applies to a node or relationship the same call created.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from carkg.graph.model import NodeLabel, RelType

Props = dict[str, Any]
NodeRef = tuple[NodeLabel, str]
RelGroup = tuple[RelType, NodeLabel, NodeLabel]


class BulkGraph:
    def __init__(self) -> None:
        self.nodes: dict[NodeLabel, dict[str, Props]] = {}
        self.rels: dict[RelGroup, dict[tuple[str, str], Props]] = {}
        self.nodes_created = 0
        self.relationships_created = 0

    # -- nodes --------------------------------------------------------------------------------------

    def merge(self, label: NodeLabel, key: str, on_create: Mapping[str, Any] | None = None) -> Props:
        """`MERGE (n:label {natural key}) [ON CREATE SET …]`; returns the node's properties to SET on."""
        nodes = self.nodes.get(label)
        if nodes is None:
            nodes = self.nodes[label] = {}
        props = nodes.get(key)
        if props is None:
            props = nodes[key] = {k: v for k, v in on_create.items() if v is not None} if on_create else {}
            self.nodes_created += 1
        return props

    def exists(self, label: NodeLabel, key: str) -> bool:
        return key in self.nodes.get(label, ())

    def create(self, label: NodeLabel, key: str, props: Mapping[str, Any]) -> None:
        """`CREATE (n:label {…})` for a node whose natural key the caller checked is new."""
        if self.exists(label, key):
            raise ValueError(f"CREATE of an existing {label} {key!r}: the caller must check first")
        self.merge(label, key, props)

    # -- relationships ------------------------------------------------------------------------------

    def merge_rel(
        self,
        rel: RelType,
        start: NodeRef,
        end: NodeRef,
        *,
        on_create: Mapping[str, Any] | None = None,
        update: Mapping[str, Any] | None = None,
    ) -> None:
        """`MERGE (start)-[r:rel]->(end) [ON CREATE SET on_create] [SET update]`."""
        group = (rel, start[0], end[0])
        rels = self.rels.get(group)
        if rels is None:
            rels = self.rels[group] = {}
        pair = (start[1], end[1])
        props = rels.get(pair)
        if props is None:
            props = rels[pair] = {k: v for k, v in on_create.items() if v is not None} if on_create else {}
            self.relationships_created += 1
        if update:
            set_props(props, update)

    def create_rel(self, rel: RelType, start: NodeRef, end: NodeRef) -> None:
        """`CREATE (start)-[:rel]->(end)` where one end was just created, so no such relationship exists yet."""
        group = (rel, start[0], end[0])
        rels = self.rels.setdefault(group, {})
        pair = (start[1], end[1])
        if pair in rels:
            raise ValueError(f"CREATE of an existing {rel} {pair!r}: only new nodes' relationships are created")
        rels[pair] = {}
        self.relationships_created += 1


def set_props(props: Props, values: Mapping[str, Any]) -> None:
    """`SET n += values`: a null value removes the property, as in Cypher."""
    for name, value in values.items():
        if value is None:
            props.pop(name, None)
        else:
            props[name] = value
