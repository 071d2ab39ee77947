"""A customer as one source system knows them, and the relationships around them as edge types
that carry the relationship's own properties and tags."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Self

import strawberry
from strawberry import relay
from strawberry.types import Info

from carkg.api.context import ctx
from carkg.api.types.catalog import Advisor, Dealer, VehicleModel
from carkg.api.types.convert import as_date, as_datetime
from carkg.api.types.identifiers import Device, IdDocument, Phone, WeChatAccount
from carkg.api.types.leads import Lead
from carkg.api.types.tags import TagAssignment, node_tags, relationship_tags

if TYPE_CHECKING:
    from carkg.api.types.persons import Customer


@strawberry.type
class Vehicle(relay.Node):
    _id_attr: ClassVar[str] = "vin"
    vin: str
    model: VehicleModel | None


@strawberry.type(description="CUSTOMER —OWNS→ VEHICLE, with the relationship's properties and tags.")
class OwnershipEdge:
    node: Vehicle
    since: date | None
    source: str | None
    tags: list[TagAssignment]


@strawberry.type(description="CUSTOMER —SERVED_BY→ ADVISOR, with the relationship's properties and tags.")
class ServedByEdge:
    node: Advisor
    since: date | None
    via: str | None
    tags: list[TagAssignment]


@strawberry.type(description="CUSTOMER —HAS_LEAD→ LEAD, with the relationship's tags.")
class LeadEdge:
    node: Lead
    tags: list[TagAssignment]


@strawberry.type(description="One customer as one source system knows them (dms, aftersales, leads, wecom …).")
class CustomerRecord(relay.Node):
    _id_attr: ClassVar[str] = "key"
    key: str = strawberry.field(description="`system:sourceId`, e.g. `dms:C0000001`")
    system: str
    source_id: str
    name: str | None
    city: str | None
    gender: str | None
    birth_year: int | None = strawberry.field(description="the year is enough for the apps; the date stays in")
    created_at: datetime | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> CustomerRecord:
        birth = as_date(row.get("birthDate"))
        return cls(
            key=row["key"], system=row["system"], source_id=row["sourceId"], name=row.get("name"),
            city=row.get("city"), gender=row.get("gender"), birth_year=birth.year if birth else None,
            created_at=as_datetime(row.get("createdAt")),
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Self | None]:
        rows = await ctx(info).loaders.records.load_many(list(node_ids))
        return [cls.from_row(r) if r else None for r in rows]  # type: ignore[misc]

    async def _details(self, info: Info) -> dict[str, Any]:
        """Everything around this record comes from one loader: one query per page, not per field."""
        return await ctx(info).loaders.details.load(self.key) or {}

    @strawberry.field
    async def phones(self, info: Info) -> list[Phone]:
        return [Phone.from_row(r) for r in (await self._details(info)).get("phones", [])]

    @strawberry.field
    async def id_documents(self, info: Info) -> list[IdDocument]:
        return [IdDocument.from_row(r) for r in (await self._details(info)).get("idDocuments", [])]

    @strawberry.field
    async def devices(self, info: Info) -> list[Device]:
        return [Device.from_row(r) for r in (await self._details(info)).get("devices", [])]

    @strawberry.field
    async def wechat_accounts(self, info: Info) -> list[WeChatAccount]:
        return [WeChatAccount.from_row(r) for r in (await self._details(info)).get("wechatAccounts", [])]

    @strawberry.field(description="Live tags on this record, in the tag scopes you may see.")
    async def tags(self, info: Info) -> list[TagAssignment]:
        return node_tags((await self._details(info)).get("tags"))

    @strawberry.field
    async def vehicles(self, info: Info) -> list[OwnershipEdge]:
        details = await self._details(info)
        rows, tags = details.get("vehicles"), details.get("tags")
        return [
            OwnershipEdge(
                node=Vehicle(vin=v["vehicle"]["vin"], model=VehicleModel.from_row(v.get("model"), v.get("brand"))),
                since=as_date(v.get("since")), source=v.get("source"),
                tags=relationship_tags(tags, "OWNS", v["vehicle"]["vin"]),
            )
            for v in rows or []
        ]

    @strawberry.field
    async def advisors(self, info: Info) -> list[ServedByEdge]:
        details = await self._details(info)
        rows, tags = details.get("advisors"), details.get("tags")
        return [
            ServedByEdge(
                node=Advisor.from_row(a["advisor"], a.get("dealer")), since=as_date(a.get("since")), via=a.get("via"),
                tags=relationship_tags(tags, "SERVED_BY", a["advisor"]["advisorId"]),
            )
            for a in rows or []
        ]

    @strawberry.field(description="Dealers this customer bought from.")
    async def dealers(self, info: Info) -> list[Dealer]:
        return [Dealer.from_row(d) for d in (await self._details(info)).get("dealers") or []]

    @strawberry.field
    async def leads(self, info: Info) -> list[LeadEdge]:
        details = await self._details(info)
        rows, tags = details.get("leads"), details.get("tags")
        return [
            LeadEdge(
                node=Lead.from_row({**row, "recordKey": self.key}),
                tags=relationship_tags(tags, "HAS_LEAD", row["lead"]["leadId"]),
            )
            for row in rows or []
        ]

    @strawberry.field(description="The resolved customer (One ID) this record belongs to, once resolved.")
    async def customer(
        self, info: Info
    ) -> Annotated[Customer, strawberry.lazy("carkg.api.types.persons")] | None:
        from carkg.api.types.persons import Customer

        link = await ctx(info).loaders.person_of_record.load(self.key)
        return await Customer.load(info, link["oneId"]) if link else None
