"""Root fields for sending customers to advisors: who fits a customer or lead best, and recording who a
dealer manager assigned. A dealer's token ranks and assigns its own advisors only; the OEM sees all."""

from __future__ import annotations

from datetime import UTC, datetime

import strawberry
from strawberry.types import Info

from carkg.advisors import Candidate, Recommendation, rank
from carkg.advisors.recommend import params
from carkg.api.context import ctx
from carkg.api.errors import BadUserInput, Forbidden, NotFound
from carkg.api.types.catalog import Advisor, Dealer, VehicleModel
from carkg.api.types.leads import Lead
from carkg.api.types.persons import Customer
from carkg.auth import Action


@strawberry.type(description="One advisor a customer could be sent to, with the reasons in words.")
class AdvisorMatch:
    advisor: Advisor
    dealer: Dealer
    score: float = strawberry.field(description="The sum of the weighed terms; higher fits better")
    reasons: list[str] = strawberry.field(description='Strongest first: "懂 Model Y, 完成 14 单", "距离 3.2 km"')
    distance_km: float | None = strawberry.field(description="From the customer's city; null when not known")
    open_leads: int

    @classmethod
    def of(cls, c: Candidate) -> AdvisorMatch:
        return cls(advisor=Advisor.from_row({"advisorId": c.advisor_id, "name": c.name}, c.dealer),
                   dealer=Dealer.from_row(c.dealer), score=c.score, reasons=c.reasons, distance_km=c.distance_km,
                   open_leads=c.open_leads)


@strawberry.type(description="The advisors for one customer or lead, best first.")
class AdvisorRecommendation:
    one_id: str | None = strawberry.field(description="The customer (One ID), when the lead's records are resolved")
    lead_id: str | None
    home_city: str | None = strawberry.field(description="Where distances are measured from; null: not known")
    model: VehicleModel | None = strawberry.field(description="The model of interest the ranking used")
    advisors: list[AdvisorMatch]
    notes: list[str] = strawberry.field(description="What the ranking could not use, e.g. no location")

    @classmethod
    def of(cls, r: Recommendation) -> AdvisorRecommendation:
        model = VehicleModel.from_row(r.model) if r.model else None
        return cls(one_id=r.one_id, lead_id=r.lead_id, home_city=r.home_city, model=model,
                   advisors=[AdvisorMatch.of(c) for c in r.advisors], notes=r.notes)


@strawberry.type(description="Who a lead is assigned to now, who assigned it and why.")
class LeadAssignment:
    lead: Lead
    advisor: Advisor
    previous_advisor_ids: list[str]
    assigned_by: str
    assigned_at: datetime
    reason: str | None


@strawberry.type
class AdvisorQuery:
    @strawberry.field(description="The best `k` advisors for a customer (One ID) or a lead — give one of them. "
                                  "An unknown or unseen id is a NOT_FOUND error naming it.")
    async def recommend_advisors(
        self, info: Info, customer: strawberry.ID | None = None, lead: strawberry.ID | None = None, k: int = 3,
    ) -> AdvisorRecommendation:
        c = ctx(info)
        principal = c.require(Action.READ)
        if (customer is None) == (lead is None):
            raise BadUserInput("give exactly one of customer and lead", field="customer")
        if not 1 <= k <= 20:
            raise BadUserInput("must be between 1 and 20", field="k")
        if customer is not None and await Customer.load(info, str(customer)) is None:
            raise NotFound(f"no customer {customer} that you can see", field="customer")
        rows = await c.graph.read("advisors/recommend", **params(
            one_id=str(customer) if customer else None, lead_id=str(lead) if lead else None,
            scope=principal.scope()))
        if not rows:  # (the query keeps to the caller's leads itself: one round trip)
            which = "lead" if lead else "customer"
            raise NotFound(f"no {which} {lead or customer} that you can see", field=which)
        return AdvisorRecommendation.of(rank(rows[0], k))


@strawberry.type
class AdvisorMutation:
    @strawberry.mutation(description="Assign a lead to an advisor, recording who assigned it and why (the "
                                     "LeadAssignment history keeps every change).")
    async def assign_advisor(self, info: Info, lead: strawberry.ID, advisor: strawberry.ID,
                             reason: str | None = None) -> LeadAssignment:
        c = ctx(info)
        principal = c.require(Action.ASSIGN_LEAD)
        found = (await Lead.load_many(info, [str(lead)]))[0]
        if found is None:
            raise NotFound(f"no lead {lead} that you can see", field="lead")
        advisor_row = await c.loaders.advisor.load(str(advisor))
        if not advisor_row:
            raise NotFound(f"no advisor {advisor}", field="advisor")
        dealer_id = (advisor_row.get("dealer") or {}).get("dealerId")
        if not principal.sees_everything and dealer_id != principal.dealer_id:
            raise Forbidden(f"advisor {advisor} works at another dealer than yours", field="advisor")
        if reason is not None and len(reason) > 500:
            raise BadUserInput("at most 500 characters", field="reason")
        at = datetime.now(UTC)
        rows = await c.graph.write("advisors/assign", leadId=str(lead), advisorId=str(advisor),
                                   by=principal.subject, reason=reason, at=at)
        c.loaders.leads.clear(str(lead))
        assigned = (await Lead.load_many(info, [str(lead)]))[0] or found
        return LeadAssignment(lead=assigned, advisor=Advisor.from_row(advisor_row),
                              previous_advisor_ids=rows[0]["previous"], assigned_by=principal.subject,
                              assigned_at=at, reason=reason)

