"""Personal data on request: a steward reveals one value, with a reason, and the audit trail says so."""

from __future__ import annotations

import uuid
from datetime import datetime

import strawberry
from strawberry import relay
from strawberry.types import Info

from carkg.api.context import ctx
from carkg.api.errors import BadUserInput, NotFound
from carkg.api.pagination import connection, window
from carkg.api.types.convert import as_datetime
from carkg.auth import Action

MIN_REASON = 10


@strawberry.type(description="A raw phone number a steward asked for; the request is in the audit log.")
class RevealedPhone:
    e164: str
    masked: str
    audit_id: str


@strawberry.type(description="Who revealed or decided what, when and why.")
class AuditEntry:
    id: str
    at: datetime | None
    actor: str
    role: str
    action: str
    target: str
    field: str | None
    reason: str | None
    request_id: str | None


@strawberry.type
class PrivacyMutation:
    @strawberry.mutation(description="Reveal one phone number (stewards only). The reason is kept in the audit log.")
    async def reveal_phone(self, info: Info, phone_id: strawberry.ID, reason: str) -> RevealedPhone:
        c = ctx(info)
        principal = c.require(Action.REVEAL)
        if len(reason.strip()) < MIN_REASON:
            raise BadUserInput(f"say why, in at least {MIN_REASON} characters", field="reason")
        try:
            gid = relay.GlobalID.from_id(phone_id)
        except ValueError as exc:
            raise BadUserInput("not a node id from this API", field="phoneId") from exc
        if gid.type_name != "Phone":
            raise BadUserInput(f"expected a Phone id, got a {gid.type_name} id", field="phoneId")
        rows = await c.graph.read("api/phone_for_reveal", id=gid.node_id)
        if not rows:
            raise NotFound("no such phone", field="phoneId")
        entry = {
            "id": uuid.uuid4().hex, "actor": principal.subject, "role": principal.role.value, "action": "reveal",
            "target": str(phone_id), "field": "Phone.e164", "reason": reason.strip(), "requestId": c.request_id,
        }
        await c.graph.write("audit/record", entry=entry)  # written before the value leaves
        return RevealedPhone(e164=rows[0]["e164"], masked=rows[0]["masked"], audit_id=entry["id"])


@strawberry.type
class PrivacyQuery:
    @strawberry.field(description="The audit trail, newest first (stewards and admins).")
    async def audit_log(
        self, info: Info, actor: str | None = None, action: str | None = None, first: int = 20,
        after: str | None = None,
    ) -> relay.Connection[AuditEntry]:
        c = ctx(info)
        c.require(Action.READ_AUDIT)
        skip, limit = window(first, after, c.settings.max_page_size)
        rows = await c.graph.read("audit/entries", actor=actor, action=action, skip=skip, limit=limit)
        entries = [
            AuditEntry(
                id=e["id"], at=as_datetime(e.get("at")), actor=e["actor"], role=e["role"], action=e["action"],
                target=e["target"], field=e.get("field"), reason=e.get("reason"), request_id=e.get("requestId"),
            )
            for e in (r["entry"] for r in rows)
        ]
        return connection(entries, skip, first)
