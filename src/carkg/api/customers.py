"""Root fields for customers: one record, a filtered page of records, one resolved customer."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry
from strawberry import relay
from strawberry.types import Info

from carkg.api.context import ctx
from carkg.api.errors import BadUserInput
from carkg.api.pagination import connection, window
from carkg.api.types.persons import Customer
from carkg.api.types.records import CustomerRecord
from carkg.auth import Action
from carkg.identifiers import IdentifierError, normalize_phone


@strawberry.enum
class CustomerRecordOrderField(Enum):
    KEY = "key"
    NAME = "name"
    CREATED_AT = "createdAt"


@strawberry.input
class CustomerRecordOrder:
    field: CustomerRecordOrderField = CustomerRecordOrderField.KEY
    descending: bool = False


@strawberry.input(description="Every field narrows the list; leave a field out to not filter on it.")
class CustomerRecordFilter:
    system: str | None = None
    city: str | None = None
    name_contains: str | None = strawberry.field(default=None, description="characters or pinyin")
    phone: str | None = strawberry.field(default=None, description="any written form; matched as E.164")
    dealer_id: str | None = None
    tag_code: str | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None

    def params(self) -> dict[str, object]:
        phone = None
        if self.phone is not None:
            try:
                phone = normalize_phone(self.phone)
            except IdentifierError as exc:
                raise BadUserInput(str(exc), field="filter.phone") from exc
        if self.name_contains is not None and not self.name_contains.strip():
            raise BadUserInput("must not be blank", field="filter.nameContains")
        return {
            "system": self.system, "city": self.city, "nameContains": self.name_contains, "phone": phone,
            "dealerId": self.dealer_id, "tagCode": self.tag_code,
            "createdFrom": self.created_from, "createdTo": self.created_to,
        }


@strawberry.type
class CustomerQuery:
    @strawberry.field(description="One source record by key (`system:sourceId`); null if absent or out of scope.")
    async def customer_record(self, info: Info, key: str) -> CustomerRecord | None:
        ctx(info).require(Action.READ)
        if ":" not in key:
            raise BadUserInput(f"expected 'system:sourceId', got {key!r}", field="key")
        row = await ctx(info).loaders.records.load(key)
        return CustomerRecord.from_row(row) if row else None

    @strawberry.field(description="Source records you may see, filtered and sorted, a page at a time.")
    async def customer_records(
        self,
        info: Info,
        filter: CustomerRecordFilter | None = None,
        order_by: CustomerRecordOrder | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> relay.Connection[CustomerRecord]:
        c = ctx(info)
        principal = c.require(Action.READ)
        skip, limit = window(first, after, c.settings.max_page_size)
        order = order_by or CustomerRecordOrder()
        rows = await c.graph.read(
            "api/customer_records", scope=principal.scope(), viewer=principal.viewer(),
            filter=(filter or CustomerRecordFilter()).params(),
            orderBy=order.field.value, descending=order.descending, skip=skip, limit=limit,
        )
        for row in rows:  # prime the loader: nested fields must not re-read what the list already has
            c.loaders.records.prime(row["key"], row["record"])
        return connection([CustomerRecord.from_row(r["record"]) for r in rows], skip, first)

    @strawberry.field(description="A resolved customer (One ID); null when absent or none of its records is yours.")
    async def customer(self, info: Info, one_id: str) -> Customer | None:
        ctx(info).require(Action.READ)
        return await Customer.load(info, one_id)
