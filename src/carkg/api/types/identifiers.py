"""Identifiers as callers see them: masked, with the suspicion One ID hygiene attached, if any.

Their global ids carry the node's element id, never the phone or number itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar, Self

import strawberry
from strawberry import relay
from strawberry.types import Info

from carkg.api.context import ctx
from carkg.api.errors import Forbidden
from carkg.api.types.convert import mask_token


async def _load(info: Info, cls: type, node_ids: Iterable[str]) -> list[Any]:
    principal = ctx(info).caller()
    if not principal.sees_everything:
        raise Forbidden("identifiers are reachable through the customers you may see, not by id", field="id")
    ids = list(node_ids)
    rows = await ctx(info).graph.read("api/identifiers_by_id", ids=ids)
    found = {r["id"]: r["identifier"] for r in rows}
    return [cls.from_row(found[i]) if found.get(i, {}).get("label") == cls.__name__ else None for i in ids]


@strawberry.interface(description="Something that identifies a person; `suspect` ones are kept out of One ID links.")
class Identifier(relay.Node):
    _id_attr: ClassVar[str] = "element_id"
    element_id: strawberry.Private[str]
    suspect: bool
    suspect_reason: str | None

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Self | None]:
        return await _load(info, cls, node_ids)


@strawberry.type(description="A phone number, shown masked (138****5678); stewards may reveal one, audited.")
class Phone(Identifier):
    masked: str
    mobile: bool | None
    role: str | None = strawberry.field(default=None, description="on a dealer/advisor: front_desk, advisor")

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Phone:
        return cls(element_id=row["id"], masked=row.get("masked") or "", mobile=row.get("mobile"),
                   role=row.get("role"), suspect=bool(row.get("suspect")), suspect_reason=row.get("suspectReason"))


@strawberry.type(description="An ID document: only a keyed hash and the masked form exist; the number is never stored.")
class IdDocument(Identifier):
    masked: str
    kind: str | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> IdDocument:
        return cls(element_id=row["id"], masked=row.get("masked") or "", kind=row.get("kind"),
                   suspect=bool(row.get("suspect")), suspect_reason=row.get("suspectReason"))


@strawberry.type
class Device(Identifier):
    masked_device_id: str | None
    platform: str | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Device:
        return cls(element_id=row["id"], masked_device_id=mask_token(row.get("deviceId")), platform=row.get("platform"),
                   suspect=bool(row.get("suspect")), suspect_reason=row.get("suspectReason"))


@strawberry.type
class WeChatAccount(Identifier):
    masked_union_id: str | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> WeChatAccount:
        return cls(element_id=row["id"], masked_union_id=mask_token(row.get("unionId")),
                   suspect=bool(row.get("suspect")), suspect_reason=row.get("suspectReason"))
