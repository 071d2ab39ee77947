"""Root fields for tags: the library, tagged entities, history and health; tag/untag and definitions.

Every read is filtered by the caller's tag scopes (`Principal.viewer()`); advisors and dealer apps tag
only customers in their row scope (`Principal.scope()`), and define tags only for themselves.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import get_args

import strawberry
from pydantic import ValidationError
from strawberry import relay
from strawberry.types import Info

from carkg.api.context import Context, ctx
from carkg.api.errors import BadUserInput, Forbidden, NotFound
from carkg.api.pagination import connection, window
from carkg.api.types.tags import (
    Tag,
    TagAssignment,
    TagChange,
    TagDefinitionInput,
    TaggedEntity,
    TagHealth,
    TagResult,
    TagSource,
    TagTargetInput,
)
from carkg.auth import Action, Principal
from carkg.tags import Assignment, NodeTarget, RelationshipTarget, TagDefinition, TagInputError
from carkg.tags.assign import problems_of, query_for, query_row
from carkg.tags.definition import Category, Scope
from carkg.tags.health import from_row as health_from_row
from carkg.tags.library import template_copy
from carkg.tags.targets import Target
from carkg.tags.values import parse_value
from carkg.tags.visibility import visible


def _field_of(err: ValidationError, prefix: str = "") -> tuple[str, str]:
    """(field, message) of the first problem; whole-model checks say "<field>: <why>" themselves."""
    first = err.errors()[0]
    loc = ".".join(str(p) for p in first["loc"] if not str(p).startswith(("function-", "Node", "Relationship")))
    msg = str(first["msg"]).removeprefix("Value error, ")
    if not loc and ": " in msg:
        loc, msg = msg.split(": ", 1)
    return (f"{prefix}{loc}" if loc else prefix.rstrip(".") or "input"), msg


def _target(inp: TagTargetInput) -> Target:
    try:
        if inp.label is not None and inp.rel_type is None:
            return NodeTarget(label=inp.label.value, key=inp.key or "")
        if inp.rel_type is not None and inp.label is None:
            return RelationshipTarget(rel_type=inp.rel_type.value, start_key=inp.start_key or "",
                                      end_key=inp.end_key or "")
    except ValidationError as exc:
        field, msg = _field_of(exc, "target.")
        raise BadUserInput(msg, field=field.replace("start_key", "startKey").replace("end_key", "endKey")) from exc
    raise BadUserInput("give either label + key, or relType + startKey + endKey", field="target")


def _one_of(value: str | None, allowed: tuple[str, ...], field: str) -> None:
    if value is not None and value not in allowed:
        raise BadUserInput(f"{value!r} is not one of {', '.join(allowed)}", field=field)


async def _usable_tag(c: Context, principal: Principal, code: str) -> dict[str, object]:
    """The tag definition, if the caller may see it; an invisible tag reads as unknown."""
    rows = await c.graph.read("tags/tags_by_code", codes=[code])
    if not rows or not visible(rows[0]["tag"], principal.viewer()):
        raise BadUserInput(f"unknown tag code {code!r}", field="code")
    return rows[0]["tag"]  # type: ignore[no-any-return]


async def _check_in_scope(c: Context, principal: Principal, target: Target) -> None:
    """Advisors and dealer apps tag their own customers (records or persons) and those records' relationships."""
    if principal.sees_everything:
        return
    if isinstance(target, RelationshipTarget):
        params = {"recordKey": target.start_key, "oneId": None}
    elif target.label == "CustomerRecord":
        params = {"recordKey": target.key, "oneId": None}
    elif target.label == "Person":
        params = {"recordKey": None, "oneId": target.key}
    else:
        raise Forbidden("only your customers and their relationships are open to you", field="target.label")
    if not await c.graph.read("tags/target_in_scope", scope=principal.scope(), **params):
        raise Forbidden("not one of your customers", field="target")


async def _definition_for(c: Context, principal: Principal, inp: TagDefinitionInput) -> TagDefinition:
    owner = inp.owner_id
    if owner is None and inp.scope == "dealer":
        owner = principal.dealer_id
    elif owner is None and inp.scope == "advisor":
        owner = principal.advisor_id
    try:
        definition = TagDefinition(
            code=inp.code, name_zh=inp.name_zh, name_en=inp.name_en, category=inp.category,  # type: ignore[arg-type]
            value_type=inp.value_type, values=inp.values, scope=inp.scope, owner_id=owner,  # type: ignore[arg-type]
            status=inp.status, template=inp.template, description=inp.description,  # type: ignore[arg-type]
        )
    except ValidationError as exc:
        field, msg = _field_of(exc, "input.")
        raise BadUserInput(msg, field=field) from exc
    action = {"oem": Action.DEFINE_TAG_OEM, "dealer": Action.DEFINE_TAG_DEALER, "advisor": Action.DEFINE_TAG_ADVISOR}
    c.require(action[definition.scope])
    own = {"dealer": principal.dealer_id, "advisor": principal.advisor_id}.get(definition.scope)
    if definition.scope != "oem" and not principal.viewer()["admin"] and definition.owner_id != own:
        raise Forbidden(f"you define {definition.scope} tags only for yourself", field="input.ownerId")
    existing = await c.graph.read("tags/tags_by_code", codes=[definition.code])
    if existing:
        old = existing[0]["tag"]
        if (old.get("scope") or "oem", old.get("ownerId")) != (definition.scope, definition.owner_id):
            raise BadUserInput("already used by another tag", field="input.code")
    return definition


@strawberry.type
class TagQuery:
    @strawberry.field(description="Tag definitions you may see, by code, a page at a time.")
    async def tag_library(
        self, info: Info, scope: str | None = None, category: str | None = None, first: int = 50,
        after: str | None = None,
    ) -> relay.Connection[Tag]:
        c = ctx(info)
        principal = c.require(Action.READ)
        _one_of(scope, get_args(Scope), "scope")
        _one_of(category, get_args(Category), "category")
        skip, limit = window(first, after, c.settings.max_page_size)
        rows = await c.graph.read("tags/library", viewer=principal.viewer(), scope=scope, category=category,
                                  skip=skip, limit=limit)
        return connection([Tag.from_row(r["tag"]) for r in rows], skip, first)

    @strawberry.field(description="What carries one tag live (nodes and relationships), in your row scope.")
    async def tagged_entities(
        self, info: Info, code: str, min_confidence: float | None = None, source: TagSource | None = None,
        first: int = 20, after: str | None = None,
    ) -> relay.Connection[TaggedEntity]:
        c = ctx(info)
        principal = c.require(Action.READ)
        if min_confidence is not None and not 0.0 <= min_confidence <= 1.0:
            raise BadUserInput("must be between 0 and 1", field="minConfidence")
        await _usable_tag(c, principal, code)
        skip, limit = window(first, after, c.settings.max_page_size)
        rows = await c.graph.read(
            "tags/tagged_entities", code=code, minConfidence=min_confidence,
            source=source.value if source else None, scope=principal.scope(), skip=skip, limit=limit,
        )
        entities = [
            TaggedEntity(
                assignment=TagAssignment.from_row(r["assignment"]), target_kind=r["assignment"]["targetKind"],
                label=r["label"], key=r["key"], rel_type=r["assignment"].get("relType"),
                end_key=r["assignment"].get("endKey"),
            )
            for r in rows
        ]
        return connection(entities, skip, first)

    @strawberry.field(description="The live tags on one node or one customer-record relationship, in your scopes.")
    async def tags_on(self, info: Info, target: TagTargetInput) -> list[TagAssignment]:
        c = ctx(info)
        principal = c.require(Action.READ)
        t = _target(target)
        await _check_in_scope(c, principal, t)
        rows = await c.graph.read("tags/tags_on_target", prefix=t.assignment_id(""), viewer=principal.viewer())
        return [TagAssignment.from_row(r["assignment"]) for r in rows]

    @strawberry.field(description="The history of one tag on one target: assigned, updated, removed, expired.")
    async def tag_history(self, info: Info, target: TagTargetInput, code: str) -> list[TagChange]:
        c = ctx(info)
        principal = c.require(Action.READ)
        await _usable_tag(c, principal, code)
        t = _target(target)
        await _check_in_scope(c, principal, t)
        rows = await c.graph.read("tags/tag_history", id=t.assignment_id(code))
        return [TagChange.from_row(r["change"]) for r in rows]

    @strawberry.field(description="Per tag you may see: coverage, freshness, share expired, confidence, conflicts.")
    async def tag_health(self, info: Info, codes: list[str] | None = None) -> list[TagHealth]:
        c = ctx(info)
        principal = c.require(Action.READ)
        now = datetime.now(UTC)
        records = (await c.graph.read("tags/customer_record_count"))[0]["records"]
        rows = await c.graph.read("tags/health", codes=codes, viewer=principal.viewer())
        return [TagHealth.from_pydantic(health_from_row(r, records, now)) for r in rows]


@strawberry.type
class TagMutation:
    @strawberry.mutation(description="Put a tag on a node or a customer record's relationship (again = update).")
    async def tag(
        self, info: Info, target: TagTargetInput, code: str, value: str | None = None, confidence: float = 1.0,
        expires_at: datetime | None = None, evidence: list[str] | None = None,
        source: TagSource = TagSource.MANUAL,  # type: ignore[valid-type]
    ) -> TagResult:
        c = ctx(info)
        principal = c.require(Action.TAG)
        t = _target(target)
        tag = await _usable_tag(c, principal, code)
        try:
            parsed = parse_value(tag, value)
        except ValueError as exc:
            raise BadUserInput(str(exc), field="value") from exc
        try:
            a = Assignment(code=code, target=t, value=parsed, source=source.value, actor=principal.subject,
                           confidence=confidence, expires_at=expires_at, evidence=evidence)
        except ValidationError as exc:
            field, msg = _field_of(exc)
            raise BadUserInput(msg, field={"expires_at": "expiresAt"}.get(field, field)) from exc
        for field, why in problems_of(a, tag):
            raise BadUserInput(why, field=field)
        await _check_in_scope(c, principal, t)
        rows = await c.graph.write(query_for(a), rows=[query_row(a)])
        if not rows:
            raise NotFound(f"no {t.describe()}", field="target")
        live = await c.graph.read("tags/assignment_by_id", id=a.id)
        return TagResult(status=rows[0]["action"], assignment_id=a.id,
                         assignment=TagAssignment.from_row(live[0]["assignment"]) if live else None)

    @strawberry.mutation(description="Take a tag off (the history keeps it); status `not_assigned` if it was not on.")
    async def untag(self, info: Info, target: TagTargetInput, code: str) -> TagResult:
        c = ctx(info)
        principal = c.require(Action.TAG)
        t = _target(target)
        await _usable_tag(c, principal, code)
        await _check_in_scope(c, principal, t)
        aid = t.assignment_id(code)
        row = {"id": aid, "source": "steward" if principal.role.value == "steward" else "manual",
               "actor": principal.subject, "at": datetime.now(UTC)}
        rows = await c.graph.write("tags/unassign", rows=[row])
        return TagResult(status="removed" if rows else "not_assigned", assignment_id=aid, assignment=None)

    @strawberry.mutation(description="Create or change a tag definition: OEM (admins), dealer (dealer apps, own "
                                     "dealer), advisor (advisors, own personal tags).")
    async def define_tag(self, info: Info, input: TagDefinitionInput) -> Tag:
        c = ctx(info)
        principal = c.caller()
        definition = await _definition_for(c, principal, input)
        await c.graph.write("tags/define_tags", rows=[{"code": definition.code, "props": definition.properties()}])
        return Tag.from_row(definition.properties())

    @strawberry.mutation(description="Copy an OEM template into a dealer's own tags (`<code>@<dealerId>`).")
    async def copy_tag_template(self, info: Info, code: str, dealer_id: str | None = None) -> Tag:
        c = ctx(info)
        principal = c.require(Action.DEFINE_TAG_DEALER)
        dealer = dealer_id or principal.dealer_id
        if dealer is None:
            raise BadUserInput("say which dealer", field="dealerId")
        if not principal.viewer()["admin"] and dealer != principal.dealer_id:
            raise Forbidden("you copy templates only to your own dealer", field="dealerId")
        rows = await c.graph.read("tags/tags_by_code", codes=[code])
        if not rows:
            raise BadUserInput(f"unknown tag code {code!r}", field="code")
        try:
            copy = template_copy(rows[0]["tag"], dealer)
        except TagInputError as exc:
            raise BadUserInput(str(exc).removeprefix("code: "), field="code") from exc
        if not await c.graph.read("tags/dealer_exists", dealerId=dealer):
            raise BadUserInput(f"no dealer {dealer!r}", field="dealerId")
        existing = await c.graph.read("tags/tags_by_code", codes=[copy.code])
        if not existing:
            await c.graph.write("tags/define_tags", rows=[{"code": copy.code, "props": copy.properties()}])
            return Tag.from_row(copy.properties())
        return Tag.from_row(existing[0]["tag"])
