"""The vehicle catalogue and the dealer network: reference data every caller may read."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar, Self

import strawberry
from strawberry import relay
from strawberry.types import Info

from carkg.api.context import ctx


@strawberry.type(description="A vehicle brand (make).")
class Brand(relay.Node):
    _id_attr: ClassVar[str] = "code"
    code: str
    name: str | None

    @classmethod
    def from_row(cls, row: dict[str, Any] | None) -> Brand | None:
        return cls(code=row["code"], name=row.get("name")) if row else None

    @strawberry.field(description="The brand's canonical vehicle models.")
    async def models(self, info: Info) -> list[VehicleModel]:
        brand = await ctx(info).loaders.brand.load(self.code)
        rows = await ctx(info).loaders.model.load_many(brand["models"] if brand else [])
        return [m for m in (VehicleModel.from_row(r) for r in rows) if m is not None]

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Self | None]:
        rows = await ctx(info).loaders.brand.load_many(list(node_ids))
        return [cls.from_row(r) for r in rows]  # type: ignore[misc]


@strawberry.type(description="A canonical vehicle model; `aliases` are the names the source systems use.")
class VehicleModel(relay.Node):
    _id_attr: ClassVar[str] = "code"
    code: str
    name_zh: str | None
    name_en: str | None
    aliases: list[str] = strawberry.field(default_factory=list)
    brand: Brand | None = None

    @classmethod
    def from_row(cls, row: dict[str, Any] | None, brand: dict[str, Any] | None = None) -> VehicleModel | None:
        if not row:
            return None
        return cls(
            code=row["code"], name_zh=row.get("nameZh"), name_en=row.get("nameEn"),
            aliases=row.get("aliases") or [], brand=Brand.from_row(row.get("brand") or brand),
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Self | None]:
        rows = await ctx(info).loaders.model.load_many(list(node_ids))
        return [cls.from_row(r) for r in rows]  # type: ignore[misc]


@strawberry.type
class Advisor(relay.Node):
    _id_attr: ClassVar[str] = "advisor_id"
    advisor_id: str
    name: str | None
    dealer_id: strawberry.Private[str | None] = None
    dealer_row: strawberry.Private[dict[str, Any] | None] = None  # when the query that found us had it

    @classmethod
    def from_row(cls, row: dict[str, Any], dealer: dict[str, Any] | None = None) -> Advisor:
        dealer = row.get("dealer") or dealer
        return cls(advisor_id=row["advisorId"], name=row.get("name"),
                   dealer_id=dealer["dealerId"] if dealer else None, dealer_row=dealer)

    @strawberry.field
    async def dealer(self, info: Info) -> Dealer | None:
        if self.dealer_id is None:
            return None
        row = self.dealer_row or await ctx(info).loaders.dealer.load(self.dealer_id)
        return Dealer.from_row(row) if row else None

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Self | None]:
        rows = await ctx(info).loaders.advisor.load_many(list(node_ids))
        return [cls.from_row(r) if r else None for r in rows]  # type: ignore[misc]


@strawberry.type
class Dealer(relay.Node):
    _id_attr: ClassVar[str] = "dealer_id"
    dealer_id: str
    name: str | None
    city: str | None
    brands: list[Brand] = strawberry.field(default_factory=list)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Dealer:
        return cls(
            dealer_id=row["dealerId"], name=row.get("name"), city=row.get("city"),
            brands=[b for b in (Brand.from_row(x) for x in row.get("brands") or []) if b],
        )

    @strawberry.field
    async def advisors(self, info: Info) -> list[Advisor]:
        rows = await ctx(info).loaders.dealer_advisors.load(self.dealer_id) or []
        return [Advisor(advisor_id=a["advisorId"], name=a.get("name"), dealer_id=self.dealer_id) for a in rows]

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Self | None]:
        rows = await ctx(info).loaders.dealer.load_many(list(node_ids))
        return [cls.from_row(r) if r else None for r in rows]  # type: ignore[misc]


@strawberry.type(description="A marketing material (brochure, test-drive invitation …) sent to customers.")
class Material(relay.Node):
    _id_attr: ClassVar[str] = "material_id"
    material_id: str
    title: str | None
    kind: str | None
    model: VehicleModel | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Material:
        return cls(material_id=row["materialId"], title=row.get("title"), kind=row.get("kind"),
                   model=VehicleModel.from_row(row.get("model")))

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Self | None]:
        rows = await ctx(info).loaders.material.load_many(list(node_ids))
        return [cls.from_row(r) if r else None for r in rows]  # type: ignore[misc]
