"""A lead as the API shows it: what the lead system knows, and carkg's score with the factors behind it."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Self

import strawberry
from strawberry import relay
from strawberry.types import Info

from carkg.api.context import ctx
from carkg.api.types.catalog import Advisor, Dealer, VehicleModel
from carkg.api.types.convert import as_datetime

if TYPE_CHECKING:
    from carkg.api.types.records import CustomerRecord


@strawberry.enum(description="A: the top 10 % of scores when the model was trained; B the next 20 %, C the next "
                             "30 %, D the rest.")
class LeadGrade(Enum):
    A = "A"
    B = "B"
    C = "C"
    D = "D"


@strawberry.type(description="One reason behind a score: a feature's value in words and the points it added "
                             "or took away (the trees' own TreeSHAP contribution, 10 points per log-odds).")
class LeadFactor:
    feature: str
    text: str
    points: int

    @strawberry.field(description='The factor as an advisor reads it: "试驾过 2 次 (+12)".')
    def said(self) -> str:
        return f"{self.text} ({self.points:+d})"


@strawberry.type(description="carkg's latest score of an open lead.")
class LeadScore:
    score: int = strawberry.field(description="1–99: the chance the lead converts, scaled")
    grade: LeadGrade
    probability: float = strawberry.field(description="The model's probability of an order within the window")
    model_version: str
    scored_at: datetime
    positive: list[LeadFactor] = strawberry.field(description="The top factors for the lead, strongest first")
    negative: list[LeadFactor] = strawberry.field(description="The top factors against it, strongest first")

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> LeadScore | None:
        if row.get("score") is None:
            return None
        factors = [LeadFactor(**f) for f in json.loads(row.get("factors") or "[]")]
        return cls(
            score=row["score"], grade=LeadGrade(row["grade"]), probability=row["probability"],
            model_version=row["modelVersion"], scored_at=as_datetime(row["scoredAt"]),  # type: ignore[arg-type]
            positive=[f for f in factors if f.points > 0], negative=[f for f in factors if f.points < 0],
        )


@strawberry.type(description="A score the lead had: written when its score or grade changed.")
class LeadScoreEntry:
    score: int
    grade: LeadGrade
    model_version: str
    at: datetime


@strawberry.type
class Lead(relay.Node):
    _id_attr: ClassVar[str] = "lead_id"
    lead_id: str
    stage: str | None
    channel: str | None
    created_at: datetime | None
    budget_yuan: int | None
    model: VehicleModel | None
    advisor: Advisor | None
    dealer: Dealer | None
    score: LeadScore | None = strawberry.field(description="Null until `carkg leads score` has scored it")
    record_key: strawberry.Private[str | None] = None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Lead:
        lead = row["lead"]
        return cls(
            lead_id=lead["leadId"], stage=lead.get("stage"), channel=lead.get("channel"),
            created_at=as_datetime(lead.get("createdAt")), budget_yuan=lead.get("budgetYuan"),
            model=VehicleModel.from_row(row.get("model")),
            advisor=Advisor.from_row(row["advisor"]) if row.get("advisor") else None,
            dealer=Dealer.from_row(row["dealer"]) if row.get("dealer") else None,
            score=LeadScore.from_row(lead), record_key=row.get("recordKey"),
        )

    @classmethod
    async def load_many(cls, info: Info, lead_ids: list[str]) -> list[Lead | None]:
        """Only leads in the caller's row scope; the others come back as None."""
        rows = await ctx(info).loaders.leads.load_many(lead_ids)
        return [cls.from_row(r) if r else None for r in rows]

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Self | None]:
        return await cls.load_many(info, list(node_ids))  # type: ignore[return-value]

    @strawberry.field(description="Its scores over time, newest first.")
    async def score_history(self, info: Info) -> list[LeadScoreEntry]:
        entries = await ctx(info).loaders.lead_scores.load(self.lead_id) or []
        return [LeadScoreEntry(score=e["score"], grade=LeadGrade(e["grade"]), model_version=e["modelVersion"],
                               at=as_datetime(e["at"])) for e in entries]  # type: ignore[arg-type]

    @strawberry.field(description="The source record the lead came in on (null when you may not see it).")
    async def customer_record(
        self, info: Info
    ) -> Annotated[CustomerRecord, strawberry.lazy("carkg.api.types.records")] | None:
        from carkg.api.types.records import CustomerRecord

        if self.record_key is None:
            return None
        row = await ctx(info).loaders.records.load(self.record_key)
        return CustomerRecord.from_row(row) if row else None
