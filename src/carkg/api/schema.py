"""The GraphQL schema: queries resolve through named Cypher files on the async driver."""

from __future__ import annotations

from typing import Any, LiteralString, cast

import strawberry
from strawberry.types import Info

from carkg.api.types import CustomerRecord, Health
from carkg.graph.cypher import cypher
from carkg.identifiers import IdentifierError, normalize_phone
from graphql import GraphQLError

MAX_LOOKUP = 100


class UserInputError(GraphQLError):
    """A caller mistake: the message names the argument; extensions.code says BAD_USER_INPUT."""

    def __init__(self, argument: str, reason: str) -> None:
        super().__init__(f"{argument}: {reason}", extensions={"code": "BAD_USER_INPUT", "argument": argument})


async def run(info: Info, name: str, **params: Any) -> list[dict[str, Any]]:
    driver = info.context["driver"]
    records, _, _ = await driver.execute_query(
        cast(LiteralString, cypher(name)), params, database_=info.context["database"], routing_="r"
    )
    return [r.data() for r in records]


@strawberry.type
class Query:
    @strawberry.field(description="Liveness of the API and its database.")
    async def health(self, info: Info) -> Health:
        rows = await run(info, "admin/ready")
        return Health(status="ok", neo4j="reachable", constraints=rows[0]["constraints"])

    @strawberry.field(description="One source record by its key (`system:sourceId`, e.g. `dms:C000001`).")
    async def customer_record(self, info: Info, key: str) -> CustomerRecord | None:
        if ":" not in key:
            raise UserInputError("key", f"expected 'system:sourceId', got {key!r}")
        rows = await run(info, "api/customer_record", key=key)
        return CustomerRecord.from_row(rows[0]["record"]) if rows else None

    @strawberry.field(description="Source records carrying a phone number (any written form).")
    async def customer_records_by_phone(self, info: Info, phone: str, limit: int = 20) -> list[CustomerRecord]:
        try:
            e164 = normalize_phone(phone)
        except IdentifierError as exc:
            raise UserInputError("phone", str(exc)) from exc
        if not 1 <= limit <= MAX_LOOKUP:
            raise UserInputError("limit", f"must be between 1 and {MAX_LOOKUP}")
        keys = await run(info, "api/customer_records_by_phone", e164=e164, limit=limit)
        out = []
        for row in keys:
            found = await run(info, "api/customer_record", key=row["key"])
            out.extend(CustomerRecord.from_row(r["record"]) for r in found)
        return out


schema = strawberry.Schema(query=Query)
