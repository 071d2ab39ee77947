"""Root fields for data stewards: the review queue, one case, and the decisions (accept, reject, merge,
split). Decisions run `carkg.identity.steward` in one transaction; its errors come back as BAD_USER_INPUT
naming the argument (NOT_FOUND when the case, customer or record does not exist)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from enum import Enum
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from carkg.api.context import ctx
from carkg.api.errors import BadUserInput, Conflict, NotFound
from carkg.api.pagination import connection, window
from carkg.api.types.identity import (
    MatchDecision,
    ReviewCase,
    ReviewKind,
    ReviewOrder,
    ReviewProgress,
    ReviewStatus,
    require_reviewer,
)
from carkg.api.types.persons import Customer
from carkg.auth import Action
from carkg.identity.steward import (
    Actor,
    Flow,
    Outcome,
    StewardConflict,
    StewardError,
    StewardNotFound,
    decide_case,
    merge,
    run_async,
    split,
)


@strawberry.enum
class CaseDecision(Enum):
    ACCEPT = "accept"
    REJECT = "reject"


@strawberry.type(description="What a steward decision did; the audit entry holds the same, with who and why.")
class StewardDecision:
    action: str = strawberry.field(description="match_accept, match_reject, match_merge or match_split")
    audit_id: str
    decisions: list[MatchDecision] = strawberry.field(description="the record pairs decided (stored as MatchDecision)")
    one_ids: list[str] = strawberry.field(description="customers kept or created by the decision")
    merged_one_ids: list[str] = strawberry.field(description="customers folded into another one")
    moved_record_keys: list[str]
    case_ids: list[str] = strawberry.field(description="review cases the decision closed")
    note: str | None = strawberry.field(description="what takes effect only at the next identity run")

    @strawberry.field(description="The customers as they are now.")
    async def customers(self, info: Info) -> list[Customer]:
        found = await asyncio.gather(*(Customer.load(info, one_id) for one_id in self.one_ids))
        return [c for c in found if c]

    @strawberry.field(description="The review cases the decision closed, as they are now.")
    async def review_cases(self, info: Info) -> list[ReviewCase]:
        return [c for c in await ReviewCase.load_many(info, self.case_ids) if c]

    @classmethod
    def from_outcome(cls, outcome: Outcome) -> StewardDecision:
        return cls(
            action=outcome.action, audit_id=outcome.audit_id, one_ids=outcome.one_ids,
            merged_one_ids=outcome.merged_one_ids, moved_record_keys=outcome.moved_keys, case_ids=outcome.case_ids,
            note=outcome.note,
            decisions=[MatchDecision(id=d.id, kind=d.kind, record_keys=[d.key_a, d.key_b], previous_kind=d.previous)
                       for d in outcome.decisions],
        )


async def _decide(info: Info, make_flow: Callable[[Actor], Flow[Outcome]]) -> StewardDecision:
    c = ctx(info)
    principal = c.require(Action.DECIDE_MATCH)
    actor = Actor(principal.subject, principal.role.value, c.request_id)
    try:
        outcome = await run_async(c.graph.driver, c.graph.database, lambda: make_flow(actor))
    except StewardNotFound as exc:
        raise NotFound(str(exc), field=exc.field) from exc
    except StewardConflict as exc:
        raise Conflict(str(exc), field=exc.field) from exc
    except StewardError as exc:
        raise BadUserInput(str(exc), field=exc.field) from exc
    return StewardDecision.from_outcome(outcome)


@strawberry.type
class IdentityQuery:
    @strawberry.field(description="The review queue (stewards, analysts, admins), best score first or riskiest "
                                  "first. `status` defaults to OPEN; pass null for every case. `dealer` keeps "
                                  "cases with a record of that dealer; `reason` matches part of the reason text.")
    async def review_cases(
        self,
        info: Info,
        status: ReviewStatus | None = ReviewStatus.OPEN,
        kind: ReviewKind | None = None,
        min_score: float | None = None,
        max_score: float | None = None,
        dealer: str | None = None,
        reason: str | None = None,
        order_by: ReviewOrder = ReviewOrder.SCORE,
        first: int = 20,
        after: str | None = None,
    ) -> relay.Connection[ReviewCase]:
        require_reviewer(info)
        c = ctx(info)
        if min_score is not None and max_score is not None and min_score > max_score:
            raise BadUserInput("must not be below minScore", field="maxScore")
        skip, limit = window(first, after, c.settings.max_page_size)
        rows = await c.graph.read(
            "identity/review_queue", status=status.value if status else None, kind=kind.value if kind else None,
            minScore=min_score, maxScore=max_score, dealer=dealer or None, reason=(reason or "").strip() or None,
            orderBy=order_by.value, skip=skip, limit=limit,
        )
        cases = await ReviewCase.load_many(info, [r["caseId"] for r in rows])
        return connection([case for case in cases if case], skip, first)

    @strawberry.field(description="One review case by its caseId; null if there is none.")
    async def review_case(self, info: Info, case_id: str) -> ReviewCase | None:
        require_reviewer(info)
        return (await ReviewCase.load_many(info, [case_id]))[0]

    @strawberry.field(description="Cases open and decided, and decided since `since` (default: today, UTC).")
    async def review_progress(self, info: Info, since: datetime | None = None) -> ReviewProgress:
        require_reviewer(info)
        start = since or datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        [row] = await ctx(info).graph.read("identity/review_progress", since=start)
        return ReviewProgress(open=row["open"], decided=row["decided"], decided_since=row["decidedSince"])


@strawberry.type
class IdentityMutation:
    @strawberry.mutation(description="Decide a review case: ACCEPT (one person: must_link) or REJECT (two: "
                                     "cannot_link). Stewards and admins; the reason goes to the audit log.")
    async def decide_case(self, info: Info, case_id: str, decision: CaseDecision, reason: str) -> StewardDecision:
        return await _decide(info, lambda actor: decide_case(case_id, decision.value, reason, actor))

    @strawberry.mutation(description="Two records (or two customers, by One ID) are one person: must_link; the "
                                     "smaller customer's records move to the larger one now.")
    async def merge_customers(self, info: Info, record_key_a: str, record_key_b: str, reason: str) -> StewardDecision:
        return await _decide(info, lambda actor: merge(record_key_a, record_key_b, reason, actor))

    @strawberry.mutation(description="A customer is several people: the groups of record keys must cover its "
                                     "records; cannot_link between groups; the first group keeps the One ID.")
    async def split_customer(
        self, info: Info, one_id: str,
        groups: Annotated[list[list[str]], strawberry.argument(description="record keys, one list per person")],
        reason: str,
    ) -> StewardDecision:
        return await _decide(info, lambda actor: split(one_id, groups, reason, actor))
