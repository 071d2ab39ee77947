"""Tags in the API: definitions (the `Tag` node), assignments with provenance, history and health."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import Enum
from typing import Any, ClassVar, Self, get_args

import strawberry
from strawberry import relay
from strawberry.types import Info

from carkg.api.context import ctx
from carkg.api.types.convert import as_datetime
from carkg.tags import health
from carkg.tags.assignment import Source
from carkg.tags.targets import TAGGABLE_LABELS, TAGGABLE_RELATIONSHIPS
from carkg.tags.visibility import visible


@strawberry.type(description="One live tag assignment: what, how sure, who or what set it, when, until when, why.")
class TagAssignment:
    tag_code: str
    tag_name_zh: str | None
    tag_name_en: str | None
    value: str | None
    source: str | None
    actor: str | None
    confidence: float | None
    at: datetime | None
    expires_at: datetime | None
    evidence: list[str]
    assignment_id: str | None = strawberry.field(
        default=None, description="deterministic: `Label|key|code` or `REL_TYPE|startKey|endKey|code`")
    target_kind: str | None = strawberry.field(default=None, description="`node` or `relationship`")
    rel_type: str | None = strawberry.field(default=None, description="the relationship a relationship tag sits on")
    end_key: str | None = strawberry.field(default=None, description="the key of that relationship's other end")

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> TagAssignment:
        value = row.get("value")
        evidence = row.get("evidence") or []
        return cls(
            tag_code=row["tagCode"], tag_name_zh=row.get("tagNameZh"), tag_name_en=row.get("tagNameEn"),
            value=None if value is None else str(value), source=row.get("source"), actor=row.get("actor"),
            confidence=row.get("confidence"), at=as_datetime(row.get("at")),
            expires_at=as_datetime(row.get("expiresAt")),
            evidence=[str(e) for e in (evidence if isinstance(evidence, list) else [evidence])],
            assignment_id=row.get("id"), target_kind=row.get("targetKind"), rel_type=row.get("relType"),
            end_key=row.get("endKey"),
        )


def node_tags(rows: list[dict[str, Any]] | None) -> list[TagAssignment]:
    return [TagAssignment.from_row(r) for r in rows or [] if r.get("targetKind", "node") == "node"]


def relationship_tags(rows: list[dict[str, Any]] | None, rel_type: str, end_key: str) -> list[TagAssignment]:
    return [
        TagAssignment.from_row(r) for r in rows or [] if r.get("relType") == rel_type and r.get("endKey") == end_key
    ]


async def records_tags(info: Info, keys: list[str]) -> list[TagAssignment]:
    """The node tags of several records (one loader query for all): a resolved customer's tags."""
    details = await ctx(info).loaders.details.load_many(keys)
    return [tag for d in details if d for tag in node_tags(d.get("tags"))]


@strawberry.type(description="A tag definition. OEM tags are seen by all, dealer tags by that dealer, advisor "
                             "tags by that advisor only.")
class Tag(relay.Node):
    _id_attr: ClassVar[str] = "code"
    code: str
    name_zh: str
    name_en: str
    category: str = strawberry.field(description="attribute | behaviour | intent | value | lifecycle | model_derived")
    value_type: str = strawberry.field(description="flag | enum | number | range")
    values: list[str] | None = strawberry.field(description="the allowed values of an enum tag")
    scope: str = strawberry.field(description="oem | dealer | advisor")
    owner_id: str | None = strawberry.field(description="the dealerId / advisorId of a dealer / advisor tag")
    status: str = strawberry.field(description="active | deprecated (deprecated tags take no new assignments)")
    template: bool = strawberry.field(description="an OEM template dealers copy (copyTagTemplate)")
    description: str | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Tag:
        return cls(
            code=row["code"], name_zh=row.get("nameZh") or "", name_en=row.get("nameEn") or "",
            category=row.get("category") or "", value_type=row.get("valueType") or "flag", values=row.get("values"),
            scope=row.get("scope") or "oem", owner_id=row.get("ownerId"), status=row.get("status") or "active",
            template=bool(row.get("template")), description=row.get("description"),
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Self | None]:
        c = ctx(info)
        viewer = c.caller().viewer()
        ids = list(node_ids)
        rows = await c.graph.read("tags/tags_by_code", codes=ids)
        found = {r["tag"]["code"]: r["tag"] for r in rows if visible(r["tag"], viewer)}
        return [cls.from_row(found[i]) if i in found else None for i in ids]  # type: ignore[misc]


@strawberry.type(description="One entry in an assignment's history.")
class TagChange:
    at: datetime | None
    action: str = strawberry.field(description="assigned | updated | removed | expired")
    value: str | None
    confidence: float | None
    source: str | None
    actor: str | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> TagChange:
        value = row.get("value")
        return cls(at=as_datetime(row.get("at")), action=row["action"], value=None if value is None else str(value),
                   confidence=row.get("confidence"), source=row.get("source"), actor=row.get("actor"))


@strawberry.experimental.pydantic.type(model=health.TagHealth, all_fields=True,
                                       description="Is a tag used, fresh, trusted and consistent?")
class TagHealth:
    pass


# Enums from the one allow-list (carkg.tags.targets / assignment), so the API cannot drift from it.
TaggableLabel = strawberry.enum(
    Enum("TaggableLabel", {label.name: label.value for label in TAGGABLE_LABELS}),  # type: ignore[misc]
    description="Node labels a tag may sit on.",
)
TaggableRelationship = strawberry.enum(
    Enum("TaggableRelationship", {rel.name: rel.value for rel in TAGGABLE_RELATIONSHIPS}),  # type: ignore[misc]
    description="Customer-record relationships a tag may sit on.",
)
TagSource = strawberry.enum(
    Enum("TagSource", {source.upper(): source for source in get_args(Source)}),  # type: ignore[misc]
    description="Where an assignment came from.",
)


@strawberry.input(description="Either a node (`label` + `key`) or a customer record's relationship "
                              "(`relType` + `startKey` = record key + `endKey` = the other end's key).")
class TagTargetInput:
    label: TaggableLabel | None = None
    key: str | None = None
    rel_type: TaggableRelationship | None = None
    start_key: str | None = None
    end_key: str | None = None


@strawberry.type(description="What a tag/untag did: assigned, updated or removed; the assignment when live.")
class TagResult:
    status: str
    assignment_id: str
    assignment: TagAssignment | None


@strawberry.type(description="One thing carrying a tag: a node (label, key) or a relationship (relType, start, end).")
class TaggedEntity:
    assignment: TagAssignment
    target_kind: str
    label: str | None = strawberry.field(description="the node's label, or the relationship's start label")
    key: str = strawberry.field(description="the node's key, or the relationship's start (customer record) key")
    rel_type: str | None
    end_key: str | None


@strawberry.input(description="A new or changed tag definition.")
class TagDefinitionInput:
    code: str
    name_zh: str
    name_en: str
    category: str
    value_type: str = "flag"
    values: list[str] | None = None
    scope: str = "oem"
    owner_id: str | None = strawberry.field(default=None, description="defaults to your dealer / advisor")
    status: str = "active"
    template: bool = False
    description: str | None = None
