"""Event intake: validate a batch of events, store the new ones, run rules and keyword extraction on them,
write the tags through `carkg.tags.assign`, and say which advisors to alert.

Idempotent by event id: events are stored the way the WeCom loaders store them (MERGE on the unique id),
and only events this call created are tagged, so a retried batch tags nothing twice. Storing and tagging are
separate transactions; an event stays marked `untagged` until its tags are written, so when the database or
the process dies in between, the caller's retry (it got no answer) tags the event instead of calling it a
duplicate. A malformed event is
rejected on its own — (index, field, reason) — and the rest of the batch lands.

Synchronous on `Database` (the tags API is); the HTTP/GraphQL layer runs it in a worker thread.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import structlog
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.alias_generators import to_camel

from carkg.graph import Database
from carkg.ingest.fields import Moment
from carkg.ingest.rows import EventType
from carkg.tags import Assignment, NodeTarget, RelationshipTarget, TagInputError, assign
from carkg.tags.alerts import Alert, mask_name, summary
from carkg.tags.assign import problems_of, tag_definitions
from carkg.tags.keywords import Extraction, extract
from carkg.tags.rules import EventFacts, Proposal, RuleSet

HISTORY_LIMIT = 1000  # a customer's most recent events that repetition counts look at
MAX_BATCH = 5000
WECOM_PREFIX = "wecom:"
KEYWORD_ACTOR = "keyword:chat"
KEYWORD_CONFIDENCE = {"intended_model": 0.7, "budget_band": 0.8, "trade_in": 0.7, "loan_interest": 0.7,
                      "interest": 0.6}
log = structlog.get_logger("carkg.intake")
AlertSink = Callable[[list[Alert]], None]
Scope = dict[str, object]  # Principal.scope(): {all, advisorId, dealerId}
EVERYTHING: Scope = {"all": True, "advisorId": None, "dealerId": None}


class EventIn(BaseModel):
    """One event as posted: camelCase (as in GraphQL) or snake_case keys."""

    model_config = ConfigDict(extra="forbid", alias_generator=to_camel, populate_by_name=True,
                              str_strip_whitespace=True, frozen=True)

    event_id: str = Field(min_length=1, max_length=100)
    type: Literal[EventType, "chat_message"]
    at: Moment
    customer_key: str | None = Field(default=None, min_length=3, max_length=200)
    external_user_id: str | None = Field(default=None, min_length=1, max_length=100)
    target_id: str | None = Field(default=None, min_length=1, max_length=100)
    channel: str | None = Field(default=None, max_length=50)
    advisor_id: str | None = Field(default=None, min_length=1, max_length=100)
    direction: Literal["in", "out"] | None = None
    text: str | None = Field(default=None, max_length=10_000)

    @property
    def key(self) -> str:
        return self.customer_key or WECOM_PREFIX + (self.external_user_id or "")

    def problems(self) -> list[tuple[str, str]]:
        """Cross-field checks, as (field, reason)."""
        out = []
        if (self.customer_key is None) == (self.external_user_id is None):
            out.append(("customerKey", "give exactly one of customerKey and externalUserId"))
        if self.type == "chat_message":
            out += [(f, "required for chat_message") for f, v in
                    (("text", self.text), ("advisorId", self.advisor_id), ("direction", self.direction)) if not v]
        elif (self.type == "join_group" or self.type.endswith("_material")) and not self.target_id:
            out.append(("targetId", f"required for {self.type} (the {self._target_label()} id)"))
        return out

    def _target_label(self) -> str:
        return "event group" if self.type == "join_group" else "material"

    def store_row(self) -> dict[str, Any]:
        row = {"eventId": self.event_id, "type": self.type, "at": self.at, "channel": self.channel,
               "customerKey": self.key, "externalUserId": self.external_user_id}
        if self.type == "chat_message":
            return {**row, "advisorId": self.advisor_id, "direction": self.direction, "text": self.text}
        return {**row, "materialId": self.target_id if self.type.endswith("_material") else None,
                "groupId": self.target_id if self.type == "join_group" else None}


@dataclass(frozen=True)
class Rejection:
    index: int
    field: str
    reason: str


@dataclass
class IntakeReport:
    """Per event of the batch (by index): what happened to it and how many tags it earned."""

    received: int = 0
    outcome: list[str] = field(default_factory=list)  # 'stored' | 'duplicate' | 'rejected'
    rejected: list[Rejection] = field(default_factory=list)
    tags: list[int] = field(default_factory=list)
    alerts: list[tuple[int, Alert]] = field(default_factory=list)  # (index of the event, alert)
    stored_keys: list[str] = field(default_factory=list)  # the customer records the new events belong to

    @property
    def stored(self) -> int:
        return self.outcome.count("stored")

    @property
    def duplicates(self) -> int:
        return self.outcome.count("duplicate")

    @property
    def tags_applied(self) -> int:
        return sum(self.tags)

    def part(self, start: int, count: int) -> IntakeReport:
        """The report for events [start, start + count) as if they had been their own batch (requests
        coalesced into one intake get their own answers back)."""
        end = start + count
        return IntakeReport(
            count, self.outcome[start:end],
            [Rejection(r.index - start, r.field, r.reason) for r in self.rejected if start <= r.index < end],
            self.tags[start:end], [(i - start, a) for i, a in self.alerts if start <= i < end],
        )


def validate(raw: list[Any]) -> tuple[list[tuple[int, EventIn]], list[Rejection], int]:
    """Good events with their index, rejections, and how many repeated an earlier id in the same batch."""
    good: list[tuple[int, EventIn]] = []
    rejected: list[Rejection] = []
    seen: set[str] = set()
    repeats = 0
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            rejected.append(Rejection(i, "(event)", "expected a JSON object"))
            continue
        try:
            event = EventIn.model_validate(item)
        except ValidationError as exc:
            for err in exc.errors():
                name = ".".join(str(p) for p in err["loc"]) or "(event)"
                rejected.append(Rejection(i, name, err["msg"]))
            continue
        if problems := event.problems():
            rejected += [Rejection(i, f, reason) for f, reason in problems]
            continue
        if event.event_id in seen:
            repeats += 1
            continue
        seen.add(event.event_id)
        good.append((i, event))
    return good, rejected, repeats


def ingest(db: Database, raw: list[Any], rules: RuleSet, *, now: datetime | None = None,
           on_alerts: AlertSink | None = None, scopes: list[Scope] | None = None) -> IntakeReport:
    """Store, tag and describe the alerts for one batch (see the module docstring). `on_alerts` gets the
    alerts as soon as the events are stored and the rules have run, before the tag writes. `scopes` is the
    row scope of each event's caller (`Principal.scope()`; requests from several callers are coalesced into
    one batch): an event for a record its caller may not see is rejected as if the record did not exist."""
    if len(raw) > MAX_BATCH:
        return IntakeReport(len(raw), ["rejected"] * len(raw), [Rejection(-1, "events", f"at most {MAX_BATCH} events")],
                            [0] * len(raw))
    now = now or datetime.now(UTC)
    good, rejected, _ = validate(raw)
    report = IntakeReport(received=len(raw), outcome=["duplicate"] * len(raw), rejected=rejected,
                          tags=[0] * len(raw))
    good = _known_customers(db, good, report, scopes)
    report.rejected.sort(key=lambda r: r.index)
    for r in report.rejected:
        report.outcome[r.index] = "rejected"
    intake_id = uuid.uuid4().hex
    events = [e for _, e in good if e.type != "chat_message"]
    messages = [e for _, e in good if e.type == "chat_message"]
    new_ids: set[str] = set()
    if events:
        rows = db.write("tags/intake_store_events", intakeId=intake_id, rows=[e.store_row() for e in events])
        new_ids |= {r["eventId"] for r in rows}
    if messages:
        rows = db.write("tags/intake_store_messages", intakeId=intake_id, rows=[e.store_row() for e in messages])
        new_ids |= {r["eventId"] for r in rows}
    fresh = [(i, e) for i, e in good if e.event_id in new_ids]
    for i, _ in fresh:
        report.outcome[i] = "stored"
    report.stored_keys = sorted({e.key for _, e in fresh})
    if fresh:
        tag_events(db, fresh, rules, now, report, on_alerts)
        db.write("tags/intake_tagged", ids=[e.event_id for _, e in fresh])
    return report


def _known_customers(db: Database, good: list[tuple[int, EventIn]], report: IntakeReport,
                     scopes: list[Scope] | None) -> list[tuple[int, EventIn]]:
    """Events naming a customer record that does not exist, or one their caller may not see, are rejected;
    a WeCom contact not seen before is stubbed, one that is another dealer's customer is rejected."""
    if not good:
        return good
    rows = [{"i": i, "key": e.key, "scope": scopes[i] if scopes else EVERYTHING} for i, e in good]
    visible = {r["i"]: r["visible"] for r in db.read("tags/intake_known_records", rows=rows)}
    out = []
    for i, e in good:
        seen = visible.get(i)
        if e.customer_key and not seen:
            report.rejected.append(Rejection(i, "customerKey", f"no customer record with key {e.customer_key!r}"))
        elif seen is False:
            report.rejected.append(Rejection(i, "externalUserId",
                                             f"WeCom contact {e.external_user_id!r} is not one of your customers"))
        else:
            out.append((i, e))
    return out


# -- tags and alerts for the events this call stored ------------------------------------------------------


@dataclass
class _Customer:
    key: str
    name: str
    advisors: list[str]
    dealers: frozenset[str]
    history: list[EventFacts]


def _facts(h: dict[str, Any], customer: _Customer | None = None) -> EventFacts:
    if "atSeconds" in h:  # a stored event (tags/intake_context)
        at = datetime.fromtimestamp(h["atSeconds"], UTC) + timedelta(microseconds=h["atNanos"] // 1000)
    else:
        at = h["at"].to_native() if hasattr(h["at"], "to_native") else h["at"]
    return EventFacts(
        event_id=h["eventId"], type=h["type"], at=at, channel=h.get("channel"), material=h.get("material"),
        group=h.get("group"),
        dealer_ids=customer.dealers if customer else frozenset(),
        advisor_ids=frozenset(customer.advisors) if customer else frozenset(),
    )


def _customers(db: Database, keys: list[str]) -> dict[str, _Customer]:
    out = {}
    for row in db.read("tags/intake_context", keys=keys, historyLimit=HISTORY_LIMIT):
        c = _Customer(row["key"], mask_name(row["name"]), sorted(set(row["advisors"])),
                      frozenset(row["dealers"]), [])
        c.history = [_facts(h, c) for h in row["history"]]
        out[c.key] = c
    return out


def tag_events(
    db: Database, fresh: list[tuple[int, EventIn]], rules: RuleSet, now: datetime, report: IntakeReport,
    on_alerts: AlertSink | None = None,
) -> None:
    """Rules and keywords for stored events (by batch index): tags written, counts and alerts into `report`.
    Intake calls it for the events it just stored; `backfill` for history."""
    customers = _customers(db, sorted({e.key for _, e in fresh}))
    assignments: list[Assignment] = []
    interested: list[dict[str, Any]] = []
    pending: list[tuple[int, EventIn, _Customer, list[str], str | None]] = []
    for i, e in fresh:
        c = customers[e.key]
        if e.type == "chat_message":
            found = extract(e.text) if e.direction == "in" and e.text else None
            if found is None or found.empty:
                continue
            interested += [{"key": c.key, "model": m, "at": e.at, "source": "keyword"} for m in found.models]
            mine = _keyword_assignments(found, c.key, e.event_id, now)
        else:
            facts = next((h for h in c.history if h.event_id == e.event_id), None) or _facts(
                {"eventId": e.event_id, "type": e.type, "at": e.at, "channel": e.channel}, c)
            proposals = rules.evaluate(facts, c.history)
            interested += [{"key": c.key, "model": p.model, "at": e.at, "source": "rule"}
                           for p in proposals if p.on == "interested_in"]
            mine = [_rule_assignment(p, c.key, e.event_id, now) for p in proposals]
        assignments += mine
        report.tags[i] = len(mine)
        target = None if e.type == "chat_message" else (
            (facts.material or {}).get("title") or (facts.group or {}).get("name"))
        pending.append((i, e, c, sorted({a.code for a in mine}), target))
    alerts = [(i, Alert(advisor, c.key, c.name, e.event_id, e.type, e.at,
                        summary(c.name, e.type, target, tuple(codes)), tuple(codes), target))
              for i, e, c, codes, target in pending for advisor in c.advisors]
    report.alerts += alerts
    if on_alerts is not None and alerts:
        # The event is stored and the rules have decided: the advisor hears now, not after the tag writes
        # (the slowest part of an intake); the alert already names the tags being written.
        on_alerts([a for _, a in alerts])
    if interested:
        db.write("tags/intake_interested_in", rows=interested)
    if assignments:
        _assign_known(db, assignments)


def _assign_known(db: Database, assignments: list[Assignment]) -> None:
    """`carkg.tags.assign`; when it refuses rows (a tag missing, deprecated, or refusing the value), again
    without them, logging each: the events are stored already, so one tag someone deprecated must not cost
    the batch its other tags."""
    try:
        assign(db, assignments)
        return
    except TagInputError:
        pass
    tags = tag_definitions(db, {a.code for a in assignments})
    good = []
    for a in assignments:
        if problems := problems_of(a, tags.get(a.code)):
            log.warning("intake.tag_skipped", code=a.code, target=a.target.describe(), problems=problems)
        else:
            good.append(a)
    if good:
        assign(db, good)


def _keyword_assignments(found: Extraction, key: str, message_id: str, now: datetime) -> list[Assignment]:
    """The library's intent tags for one customer message: the intended model on the record and on each
    INTERESTED_IN relationship, the budget band, trade-in and loan interest, hobbies (interest_*)."""
    record = NodeTarget(label="CustomerRecord", key=key)
    specs: list[tuple[str, str | None, NodeTarget | RelationshipTarget]] = [
        ("intended_model", None, RelationshipTarget(rel_type="INTERESTED_IN", start_key=key, end_key=m))
        for m in found.models
    ]
    if found.models:
        specs.append(("intended_model", None, record))
    if found.budget:
        specs.append(("budget_band", found.budget.band.value, record))
    if found.trade_in:
        specs.append(("trade_in", None, record))
    if found.loan:
        specs.append(("loan_interest", None, record))
    specs += [(code, None, record) for code in found.interests]
    return [Assignment(code=code, target=target, value=value, source="keyword", actor=KEYWORD_ACTOR,
                       confidence=KEYWORD_CONFIDENCE.get(code, KEYWORD_CONFIDENCE["interest"]), at=now,
                       evidence=[message_id])
            for code, value, target in specs]


def _rule_assignment(p: Proposal, key: str, event_id: str, now: datetime) -> Assignment:
    target: NodeTarget | RelationshipTarget
    if p.on == "engaged_with":
        target = RelationshipTarget(rel_type="ENGAGED_WITH", start_key=key, end_key=p.material_id or "")
    elif p.on == "interested_in":
        target = RelationshipTarget(rel_type="INTERESTED_IN", start_key=key, end_key=p.model or "")
    else:
        target = NodeTarget(label="CustomerRecord", key=key)
    expires = now + timedelta(days=p.expires_days) if p.expires_days else None
    return Assignment(code=p.code, target=target, value=p.value, source="rule", actor=f"rule:{p.scope}/{p.rule}",
                      confidence=p.confidence, at=now, expires_at=expires, evidence=[event_id])
