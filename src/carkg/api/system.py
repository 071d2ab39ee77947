"""Root fields about the service itself and the caller."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from carkg.api.context import ctx


@strawberry.type
class Health:
    status: str
    neo4j: str
    constraints: int


@strawberry.type(description="Who the API thinks you are.")
class Me:
    subject: str
    role: str
    advisor_id: str | None
    dealer_id: str | None
    sees_every_customer: bool


@strawberry.type
class SystemQuery:
    @strawberry.field(description="Liveness of the API and its database (no credentials needed).")
    async def health(self, info: Info) -> Health:
        rows = await ctx(info).graph.read("admin/ready")
        return Health(status="ok", neo4j="reachable", constraints=rows[0]["constraints"])

    @strawberry.field
    def me(self, info: Info) -> Me:
        p = ctx(info).caller()
        return Me(subject=p.subject, role=p.role.value, advisor_id=p.advisor_id, dealer_id=p.dealer_id,
                  sees_every_customer=p.sees_everything)
