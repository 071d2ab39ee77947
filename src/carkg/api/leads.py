"""Root fields for lead scoring: the leads worth a call first, in the caller's row scope."""

from __future__ import annotations

from enum import Enum

import strawberry
from strawberry import relay
from strawberry.types import Info

from carkg.api.context import ctx
from carkg.api.errors import BadUserInput, Forbidden
from carkg.api.pagination import connection, window
from carkg.api.types.leads import Lead, LeadGrade
from carkg.auth import Action


@strawberry.enum
class LeadOrder(Enum):
    SCORE_DESC = "SCORE_DESC"
    CREATED_DESC = "CREATED_DESC"


@strawberry.type(description="A lead in a ranked list (`LeadEdge` is a customer record's HAS_LEAD relationship).")
class RankedLeadEdge(relay.Edge[Lead]):
    pass


@strawberry.type
class LeadConnection(relay.Connection[Lead]):
    edges: list[RankedLeadEdge]


@strawberry.type
class LeadQuery:
    @strawberry.field(description="Leads, best score first by default. `open` keeps leads not won or lost (null: "
                                  "all); `dealer` one dealer's leads. A dealer or advisor token sees its dealer's "
                                  "leads only; unscored leads sort last.")
    async def leads(
        self,
        info: Info,
        dealer: str | None = None,
        min_score: int | None = None,
        grade: LeadGrade | None = None,
        open: bool | None = True,
        order_by: LeadOrder = LeadOrder.SCORE_DESC,
        first: int = 20,
        after: str | None = None,
    ) -> LeadConnection:
        c = ctx(info)
        principal = c.require(Action.READ)
        if min_score is not None and not 1 <= min_score <= 99:
            raise BadUserInput("must be between 1 and 99", field="minScore")
        if dealer and not principal.sees_everything and principal.dealer_id != dealer:
            raise Forbidden(f"your token sees dealer {principal.dealer_id}'s leads, not {dealer}'s")
        skip, limit = window(first, after, c.settings.max_page_size)
        rows = await c.graph.read(
            "leads/page", dealer=dealer or None, minScore=min_score, grade=grade.value if grade else None, open=open,
            orderBy=order_by.value, scope=principal.scope(), skip=skip, limit=limit,
        )
        leads = await Lead.load_many(info, [r["leadId"] for r in rows])
        return connection([lead for lead in leads if lead], skip, first, kind=LeadConnection,  # type: ignore[return-value]
                          edge=RankedLeadEdge)

    @strawberry.field(description="One lead by its leadId; null if there is none or you may not see it.")
    async def lead(self, info: Info, lead_id: str) -> Lead | None:
        ctx(info).require(Action.READ)
        return (await Lead.load_many(info, [lead_id]))[0]
