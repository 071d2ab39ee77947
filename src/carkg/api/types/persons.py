"""A resolved customer: one real person behind several source records (One ID)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import datetime
from typing import Any, ClassVar, Self

import strawberry
from strawberry import relay
from strawberry.types import Info

from carkg.api.context import ctx
from carkg.api.types.convert import as_datetime
from carkg.api.types.identity import MatchPair, SuspectIdentifier, customer_match_evidence, customer_suspects
from carkg.api.types.records import CustomerRecord
from carkg.api.types.tags import TagAssignment, records_tags


@strawberry.type(description="RESOLVED_TO: why a record belongs to this customer (method, score, run).")
class RecordLinkEdge:
    node: CustomerRecord
    method: str | None
    score: float | None
    run_id: str | None
    at: datetime | None


@strawberry.type(description="SAME_HOUSEHOLD: another customer who shares a family phone or a home address with "
                              "this one, and is not the same person.")
class HouseholdMember:
    customer: Customer
    evidence: list[str] = strawberry.field(description="what they share: 'phone 138****5678', 'address'")


@strawberry.type(description="A resolved customer (One ID). You see the records in your row scope only.")
class Customer(relay.Node):
    _id_attr: ClassVar[str] = "one_id"
    one_id: str
    links: strawberry.Private[list[dict[str, Any]]]
    visible: strawberry.Private[dict[str, dict[str, Any]]]

    @classmethod
    async def load(cls, info: Info, one_id: str) -> Customer | None:
        """None when the customer does not exist or none of its records is in the caller's scope."""
        loaders = ctx(info).loaders
        rows = await loaders.customers.load(one_id)
        for row in rows:  # one read brought the records and their details: nested fields must not read again
            loaders.records.prime(row["key"], row["record"])
            loaders.details.prime(row["key"], row)
        if not rows:
            return None
        return cls(one_id=one_id, links=[row["link"] for row in rows],
                   visible={row["key"]: row["record"] for row in rows})

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Self | None]:
        return await asyncio.gather(*(cls.load(info, one_id) for one_id in node_ids))  # type: ignore[return-value]

    @strawberry.field
    def records(self) -> list[RecordLinkEdge]:
        return [
            RecordLinkEdge(
                node=CustomerRecord.from_row(self.visible[link["key"]]), method=link.get("method"),
                score=link.get("score"), run_id=link.get("runId"), at=as_datetime(link.get("at")),
            )
            for link in sorted(self.links, key=lambda link: link["key"])
            if link["key"] in self.visible
        ]

    @strawberry.field(description="MATCHES evidence between the records you see (stewards, analysts, admins).")
    async def match_evidence(self, info: Info) -> list[MatchPair]:
        return await customer_match_evidence(info, self.one_id, self.visible)

    @strawberry.field(description="Identifiers on this customer's records flagged suspect (kept out of One ID links).")
    async def suspect_identifiers(self, info: Info) -> list[SuspectIdentifier]:
        return await customer_suspects(info, self.one_id, self.visible)

    @strawberry.field(description="Live tags on the records you see, in your tag scopes: a person's tags are the "
                                  "union over its records (`assignmentId` names the record).")
    async def tags(self, info: Info) -> list[TagAssignment]:
        return await records_tags(info, sorted(self.visible))

    @strawberry.field(description="Other customers of the same household (a family phone or a home address in "
                                  "common, not the same person), those with a record in your row scope.")
    async def household(self, info: Info) -> list[HouseholdMember]:
        members = await ctx(info).loaders.households.load(self.one_id) or []
        customers = await asyncio.gather(*(Customer.load(info, m["oneId"]) for m in members))
        return [HouseholdMember(customer=c, evidence=list(m["evidence"] or []))
                for c, m in zip(customers, members, strict=True) if c is not None]

