"""Event intake and advisor alerts over the API.

- `POST /events` (a JSON list of events, bearer token allowed to intake events) and the GraphQL mutation
  `ingestEvents(events: [EventInput!]!)` run the same intake (`carkg.tags.intake`): new events are
  stored and tagged, replays change nothing, malformed events come back as (index, field, reason).
- The subscription `advisorAlerts` (graphql-transport-ws) streams the alerts for one advisor: an advisor
  gets their own, an admin names the advisor. Alerts go through the in-process `AlertBroker`
  (see `carkg.tags.alerts` for the multi-worker path).

EventInput fields are strings on purpose: a wrong value in one event must reject that event, not the
whole GraphQL document.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections import deque
from collections.abc import AsyncGenerator
from dataclasses import asdict
from datetime import datetime
from typing import Any

import orjson
import strawberry
import structlog
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.websockets import WebSocketDisconnect
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.types import Info

from carkg.api.authn import AuthError
from carkg.api.context import Context, ctx
from carkg.api.errors import RETRY_SECONDS, BadUserInput, Forbidden
from carkg.auth import Action, Principal, Role, can
from carkg.graph import Database
from carkg.graph.database import Target
from carkg.leads.live import LiveScorer
from carkg.tags.alerts import Alert, AlertBroker
from carkg.tags.intake import MAX_BATCH, IntakeReport, Scope, ingest
from carkg.tags.rules import RuleSet, ensure_definitions, load_rules

log = structlog.get_logger("carkg.api.events")
SLOW_INTAKE_MS = float(os.environ.get("CARKG_SLOW_INTAKE_MS", "500"))


class EventServices:
    """Lives as long as the app: the rules (loaded, and validated, at start-up), the alert broker, a
    synchronous database handle for the intake thread, and the coalescer.

    Requests are coalesced: one intake runs at a time in a worker thread, and the requests that arrive
    meanwhile are taken together as the next batch (group commit). At 200 events/s of one-event requests
    this turns ~600 small transactions a second into a few dozen larger ones, and the intakes never
    contend for the same Material / EventGroup locks. Each request still gets its own report back.

    After a batch is answered, the records its new events belong to go to a second worker that scores the
    open leads of their persons again (`carkg.leads.live`): it takes every record waiting at once, and runs
    beside the next intake instead of delaying it.
    """

    def __init__(self, rules: RuleSet | None = None, max_batch: int = MAX_BATCH,
                 scorer: LiveScorer | None = None) -> None:
        self.rules = rules or load_rules()
        self.scorer = scorer
        self.broker = AlertBroker()
        self.db: Database | None = None
        self.max_batch = max_batch
        self._pending: deque[tuple[list[Any], Scope, asyncio.Future[IntakeReport]]] = deque()
        self._wake: asyncio.Event | None = None
        self._worker: asyncio.Task[None] | None = None
        self._to_rescore: set[str] = set()
        self._rescore_wake: asyncio.Event | None = None
        self._rescorer: asyncio.Task[None] | None = None

    def open(self, target: Target) -> None:
        self.db = Database(target, retry_seconds=RETRY_SECONDS)  # an outage answers 503 soon, not in 30 s
        try:
            ensure_definitions(self.db, self.rules)
        except Exception as exc:  # the database may not be up yet; intake logs skipped tags until it is
            log.warning("events.definitions_not_ensured", reason=str(exc))

    async def aclose(self) -> None:
        for task in (self._worker, self._rescorer):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        if self.db is not None:
            self.db.close()

    async def ingest(self, raw: list[Any], scope: Scope) -> IntakeReport:
        """`scope`: the caller's row scope (`Principal.scope()`); events for records outside it are rejected."""
        assert self.db is not None, "EventServices.open() was not called"
        if len(raw) > self.max_batch or not raw:
            return ingest(self.db, raw, self.rules)  # refused or empty without touching the database
        if self._worker is None:
            self._wake = asyncio.Event()
            self._worker = asyncio.create_task(self._run())
        future: asyncio.Future[IntakeReport] = asyncio.get_running_loop().create_future()
        self._pending.append((raw, scope, future))
        assert self._wake is not None
        self._wake.set()
        return await future

    async def _run(self) -> None:
        assert self._wake is not None and self.db is not None
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._pending:
                batch = [self._pending.popleft()]
                size = len(batch[0][0])
                while self._pending and size + len(self._pending[0][0]) <= self.max_batch:
                    batch.append(self._pending.popleft())
                    size += len(batch[-1][0])
                await self._intake(batch)

    async def _intake(self, batch: list[tuple[list[Any], Scope, asyncio.Future[IntakeReport]]]) -> None:
        combined = [event for raw, _, _ in batch for event in raw]
        scopes = [scope for raw, scope, _ in batch for _ in raw]
        started = time.perf_counter()
        loop = asyncio.get_running_loop()

        def publish(alerts: list[Alert]) -> None:  # called from the intake thread: hand over to the loop
            for alert in alerts:
                loop.call_soon_threadsafe(self.broker.publish, alert)

        try:
            report = await asyncio.to_thread(ingest, self.db, combined, self.rules,  # type: ignore[arg-type]
                                             on_alerts=publish, scopes=scopes)
        except Exception as exc:  # the requests fail; the worker lives on for the next ones
            for _, _, future in batch:
                if not future.done():
                    future.set_exception(exc)
            return
        ms = (time.perf_counter() - started) * 1000
        if ms > SLOW_INTAKE_MS:
            log.warning("events.slow_intake", requests=len(batch), events=len(combined), ms=round(ms, 1))
        start = 0
        for raw, _, future in batch:
            if not future.done():
                future.set_result(report.part(start, len(raw)))
            start += len(raw)
        if self.scorer is not None and report.stored_keys:
            self._to_rescore.update(report.stored_keys)
            if self._rescorer is None:
                self._rescore_wake = asyncio.Event()
                self._rescorer = asyncio.create_task(self._rescore_run())
            assert self._rescore_wake is not None
            self._rescore_wake.set()

    async def _rescore_run(self) -> None:
        assert self._rescore_wake is not None and self.scorer is not None
        while True:
            await self._rescore_wake.wait()
            self._rescore_wake.clear()
            keys, self._to_rescore = sorted(self._to_rescore), set()
            if not keys:
                continue
            try:
                await asyncio.to_thread(self.scorer.after_events, self.db, keys)  # type: ignore[arg-type]
            except Exception as exc:  # the score moves with the person's next event, or `carkg leads score`
                log.warning("events.rescore_failed", records=len(keys), reason=str(exc))


def event_services(c: Context) -> EventServices:
    return c.request.app.state.events  # type: ignore[no-any-return]


# -- GraphQL ----------------------------------------------------------------------------------------------


@strawberry.input(description="One interaction event or chat message. Give customerKey or externalUserId.")
class EventInput:
    event_id: str
    type: str = strawberry.field(description="join_group, open_material, forward_material, click_material, "
                                             "share_content, visit_touchpoint, book_test_drive or chat_message")
    at: str = strawberry.field(description="ISO-8601 time; without an offset it is Beijing time")
    customer_key: str | None = None
    external_user_id: str | None = strawberry.field(default=None, description="WeCom external contact id")
    target_id: str | None = strawberry.field(default=None, description="material id or event-group id")
    channel: str | None = None
    advisor_id: str | None = strawberry.field(default=None, description="chat_message: the advisor in the chat")
    direction: str | None = strawberry.field(default=None, description="chat_message: in (customer) or out")
    text: str | None = None


@strawberry.type(description="Why one event of a batch was refused.")
class EventRejection:
    index: int
    field: str
    reason: str


@strawberry.type(description="What an intake batch did. Replayed events count as duplicates and tag nothing.")
class IntakeResult:
    received: int
    stored: int
    duplicates: int
    rejected: list[EventRejection]
    tags_applied: int
    alerts_sent: int


@strawberry.type(description="Something a customer you serve just did, with the tags it earned.")
class AdvisorAlert:
    advisor_id: str
    customer_key: str
    customer_name: str = strawberry.field(description="masked")
    event_id: str
    event_type: str
    event_at: datetime
    summary: str
    tags: list[str]
    target: str | None
    emitted_at: datetime

    @classmethod
    def of(cls, a: Alert) -> AdvisorAlert:
        return cls(advisor_id=a.advisor_id, customer_key=a.customer_key, customer_name=a.customer_name,
                   event_id=a.event_id, event_type=a.event_type, event_at=a.event_at, summary=a.summary,
                   tags=list(a.tags), target=a.target, emitted_at=a.emitted_at)


def _result(report: IntakeReport) -> IntakeResult:
    rejected = [EventRejection(index=r.index, field=r.field, reason=r.reason) for r in report.rejected]
    return IntakeResult(received=report.received, stored=report.stored, duplicates=report.duplicates,
                        rejected=rejected, tags_applied=report.tags_applied, alerts_sent=len(report.alerts))


def _raw(e: EventInput) -> dict[str, Any]:
    return {k: v for k, v in {
        "eventId": e.event_id, "type": e.type, "at": e.at, "customerKey": e.customer_key,
        "externalUserId": e.external_user_id, "targetId": e.target_id, "channel": e.channel,
        "advisorId": e.advisor_id, "direction": e.direction, "text": e.text,
    }.items() if v is not None}


@strawberry.type
class EventsMutation:
    @strawberry.mutation(description="Take in a batch of events: store new ones, tag them by rules and chat "
                                     "keywords, alert the advisors. Idempotent by event id.")
    async def ingest_events(self, info: Info, events: list[EventInput]) -> IntakeResult:
        c = ctx(info)
        principal = c.require(Action.INTAKE_EVENTS)
        report = await event_services(c).ingest([_raw(e) for e in events], principal.scope())
        return _result(report)


def alert_advisor(principal: Principal, advisor_id: str | None) -> str:
    """Whose alerts the caller may follow: an advisor their own, an admin anyone's (named)."""
    if principal.role is Role.ADVISOR:
        if advisor_id not in (None, principal.advisor_id):
            raise Forbidden("advisors receive only their own alerts", field="advisorId")
        return principal.advisor_id  # type: ignore[return-value]
    if principal.role is Role.ADMIN:
        if not advisor_id:
            raise BadUserInput("name the advisor whose alerts to follow", field="advisorId")
        return advisor_id
    raise Forbidden(f"role {principal.role.value} may not follow advisor alerts")


@strawberry.type
class EventsSubscription:
    @strawberry.subscription(description="Alerts for one advisor as they happen (graphql-transport-ws). "
                                         "Advisors get their own; admins pass advisorId.")
    async def advisor_alerts(
        self, info: Info, advisor_id: strawberry.ID | None = None
    ) -> AsyncGenerator[AdvisorAlert, None]:
        c = ctx(info)
        advisor = alert_advisor(c.caller(), advisor_id)
        async for alert in event_services(c).broker.alerts(advisor):
            yield AdvisorAlert.of(alert)


class TextWebSocketAdapter(ASGIWebSocketAdapter):
    """graphql-transport-ws messages are text frames; the app's orjson encoder gives bytes, which strawberry
    would send as binary frames that standard clients (graphql-ws in a browser) cannot parse."""

    async def send_json(self, message: Any) -> None:
        try:
            await self.ws.send_text(orjson.dumps(message).decode())
        except WebSocketDisconnect as exc:
            raise WebSocketDisconnected from exc


# -- HTTP -------------------------------------------------------------------------------------------------


def _json(body: object, status: int = 200) -> Response:
    return Response(orjson.dumps(body), status_code=status, media_type="application/json")


def events_route(services: Any) -> Route:
    """POST /events: the batch endpoint for apps and webhooks (same intake as the mutation)."""

    async def post_events(request: Request) -> Response:
        try:
            principal = await services.authenticator.principal(request.headers.get("authorization"), services.graph())
        except AuthError as exc:
            return _json({"error": "UNAUTHENTICATED", "reason": str(exc)}, 401)
        if principal is None:
            return _json({"error": "UNAUTHENTICATED", "reason": "send 'Authorization: Bearer <token>'"}, 401)
        if not can(principal, Action.INTAKE_EVENTS):
            return _json({"error": "FORBIDDEN", "reason": f"role {principal.role.value} may not intake events"}, 403)
        try:
            body = orjson.loads(await request.body())
        except orjson.JSONDecodeError as exc:
            return _json({"error": "BAD_USER_INPUT", "reason": f"body is not JSON: {exc}"}, 400)
        if not isinstance(body, list):
            return _json({"error": "BAD_USER_INPUT", "reason": "body must be a JSON list of events"}, 400)
        report = await request.app.state.events.ingest(body, principal.scope())
        return _json({
            "received": report.received, "stored": report.stored, "duplicates": report.duplicates,
            "rejected": [asdict(r) for r in report.rejected], "tagsApplied": report.tags_applied,
            "alertsSent": len(report.alerts),
        })

    return Route("/events", post_events, methods=["POST"])
