"""Root fields for the dealer network and the vehicle catalogue (reference data, no personal data)."""

from __future__ import annotations

import strawberry
from strawberry import relay
from strawberry.types import Info

from carkg.api.context import ctx
from carkg.api.pagination import connection, window
from carkg.api.types.catalog import Brand, Dealer, Material, VehicleModel
from carkg.auth import Action


@strawberry.type
class NetworkQuery:
    @strawberry.field
    async def dealer(self, info: Info, dealer_id: str) -> Dealer | None:
        ctx(info).require(Action.READ)
        row = await ctx(info).loaders.dealer.load(dealer_id)
        return Dealer.from_row(row) if row else None

    @strawberry.field
    async def dealers(
        self, info: Info, city: str | None = None, first: int = 20, after: str | None = None
    ) -> relay.Connection[Dealer]:
        c = ctx(info)
        c.require(Action.READ)
        skip, limit = window(first, after, c.settings.max_page_size)
        rows = await c.graph.read("api/dealers", city=city, skip=skip, limit=limit)
        return connection([Dealer.from_row(r["dealer"]) for r in rows], skip, first)

    @strawberry.field
    async def vehicle_model(self, info: Info, code: str) -> VehicleModel | None:
        ctx(info).require(Action.READ)
        return VehicleModel.from_row(await ctx(info).loaders.model.load(code))

    @strawberry.field
    async def brand(self, info: Info, code: str) -> Brand | None:
        ctx(info).require(Action.READ)
        return Brand.from_row(await ctx(info).loaders.brand.load(code))

    @strawberry.field
    async def material(self, info: Info, material_id: str) -> Material | None:
        ctx(info).require(Action.READ)
        row = await ctx(info).loaders.material.load(material_id)
        return Material.from_row(row) if row else None
