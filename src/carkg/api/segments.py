"""Root fields for segments: count, members, explain, saved segments, save, materialise, diff.

Analysts and admins work across the network; advisors and dealer apps only within their row scope
(members and diffs are cut to the persons they may see, saved segments to OEM + their own). Saving and
materialising need `Action.SAVE_SEGMENT`. The segment code is synchronous (it is shared with the CLI
and the benchmark); resolvers run it in a worker thread that sends its queries back through the
request's async driver.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Callable
from typing import Any, LiteralString, TypeVar, cast

import strawberry
from strawberry import relay
from strawberry.scalars import JSON
from strawberry.types import Info

from carkg.api.context import Context, ctx
from carkg.api.errors import BadUserInput, Forbidden, NotFound
from carkg.api.graph import Graph
from carkg.api.types.segments import (
    SavedSegment,
    SegmentDiff,
    SegmentExplanation,
    SegmentMember,
    SegmentRun,
    SegmentScope,
    json_params,
)
from carkg.auth import Action, Principal, Role
from carkg.segments import SegmentError, engine, store
from carkg.segments.engine import Request

T = TypeVar("T")
MAX_PAGE = 200
_CURSOR = "oneId:"


class _Bridge:
    """A synchronous `Runner` for worker threads: each query runs on the event loop's async driver."""

    def __init__(self, graph: Graph, loop: asyncio.AbstractEventLoop) -> None:
        self.graph = graph
        self.loop = loop

    async def _run(self, text: str, params: dict[str, Any], write: bool) -> list[dict[str, Any]]:
        self.graph.queries += 1
        async with self.graph.driver.session(database=self.graph.database) as session:
            run = session.execute_write if write else session.execute_read

            async def work(tx: Any) -> list[dict[str, Any]]:
                return await (await tx.run(cast(LiteralString, text), params)).data()

            return await run(work)

    def query(self, text: str, params: dict[str, Any] | None = None, *, write: bool = True) -> list[dict[str, Any]]:
        return asyncio.run_coroutine_threadsafe(self._run(text, params or {}, write), self.loop).result()


async def _call(c: Context, fn: Callable[[_Bridge], T]) -> T:
    bridge = _Bridge(c.graph, asyncio.get_running_loop())
    try:
        return await asyncio.to_thread(fn, bridge)
    except SegmentError as exc:
        field = "definition" + (f".{exc.path}" if exc.path else "")
        raise BadUserInput(exc.reason, field=field) from None


def _request(principal: Principal) -> Request:
    return Request(scope=principal.scope(), viewer=principal.viewer())


def _visible(segment: dict[str, Any], principal: Principal) -> bool:
    if principal.sees_everything or segment["scope"] == "oem":
        return True
    owner = principal.dealer_id if segment["scope"] == "dealer" else principal.advisor_id
    return segment["ownerId"] == owner


def _saved(db: _Bridge, segment_id: str, principal: Principal) -> dict[str, Any]:
    segment = store.get(db, segment_id)
    if segment is None or not _visible(segment, principal):
        raise NotFound(f"no saved segment '{segment_id}' you may see", field="savedId")
    return segment


def _definition(db: _Bridge, definition: JSON | None, saved_id: str | None, principal: Principal) -> Any:
    """The definition to run: given inline, or a saved segment's latest version (as a reference)."""
    if (definition is None) == (saved_id is None):
        raise BadUserInput("give either definition or savedId", field="definition")
    if saved_id is not None:
        _saved(db, saved_id, principal)
        return {"kind": "segment", "id": saved_id}
    return definition


def _owner(principal: Principal, scope: SegmentScope | None, owner_id: str | None) -> store.Owner:
    """Analysts and admins save in any scope; a dealer app saves for its dealer; an OEM-wide app for the OEM."""
    if principal.role in (Role.ADMIN, Role.ANALYST) or (principal.role is Role.APP and principal.sees_everything):
        chosen = (scope or SegmentScope.OEM).value
        if principal.role is Role.APP and chosen != "oem":
            raise Forbidden("an OEM-wide app saves OEM segments", field="scope")
        try:
            return store.Owner(principal.subject, chosen, owner_id)  # type: ignore[arg-type]
        except SegmentError as exc:
            raise BadUserInput(exc.reason, field="ownerId") from None
    if scope not in (None, SegmentScope.DEALER) or owner_id not in (None, principal.dealer_id):
        raise Forbidden("a dealer app saves segments for its own dealer only", field="scope")
    return store.Owner(principal.subject, "dealer", principal.dealer_id)


def _encode(one_id: str) -> str:
    return base64.urlsafe_b64encode(f"{_CURSOR}{one_id}".encode()).decode()


def _decode(cursor: str | None) -> str | None:
    if cursor is None:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        if text.startswith(_CURSOR):
            return text.removeprefix(_CURSOR)
    except (ValueError, UnicodeDecodeError):
        pass
    raise BadUserInput("not a cursor this API handed out", field="after")


@strawberry.type
class SegmentQuery:
    @strawberry.field(description="How many resolved customers (within your scope) a definition or saved segment has.")
    async def segment_count(self, info: Info, definition: JSON | None = None, saved_id: str | None = None) -> int:
        c = ctx(info)
        principal = c.require(Action.READ)
        return await _call(c, lambda db: engine.count(db, _definition(db, definition, saved_id, principal),
                                                      _request(principal)))

    @strawberry.field(description="Members ordered by OneID, a page at a time; masked data only.")
    async def segment_members(self, info: Info, definition: JSON | None = None, saved_id: str | None = None,
                              first: int = 20, after: str | None = None) -> relay.Connection[SegmentMember]:
        c = ctx(info)
        principal = c.require(Action.READ)
        if not 1 <= first <= MAX_PAGE:
            raise BadUserInput(f"must be between 1 and {MAX_PAGE}", field="first")
        start = _decode(after)
        page = await _call(c, lambda db: engine.members(db, _definition(db, definition, saved_id, principal),
                                                        _request(principal), first=first, after=start))
        edges = [relay.Edge(cursor=_encode(m.one_id), node=SegmentMember(
            one_id=m.one_id, masked_name=m.masked_name, masked_phones=m.masked_phones, tags=m.tags))
            for m in page.members]
        return relay.Connection(edges=edges, page_info=relay.PageInfo(
            has_next_page=page.has_next, has_previous_page=start is not None,
            start_cursor=edges[0].cursor if edges else None, end_cursor=edges[-1].cursor if edges else None))

    @strawberry.field(description="The one Cypher query a segment runs, with parameters and `:param` lines.")
    async def explain_segment(self, info: Info, definition: JSON | None = None,
                              saved_id: str | None = None) -> SegmentExplanation:
        c = ctx(info)
        principal = c.require(Action.READ)
        explained = await _call(c, lambda db: engine.explain(db, _definition(db, definition, saved_id, principal),
                                                             _request(principal)))
        return SegmentExplanation(cypher=explained.cypher, params=json_params(explained.params),
                                  browser=explained.browser(), anchor=explained.anchor)

    @strawberry.field(description="Saved segments you may see, each with its last run.")
    async def saved_segments(self, info: Info) -> list[SavedSegment]:
        c = ctx(info)
        principal = c.require(Action.READ)
        rows = await _call(c, lambda db: store.saved_segments(db, principal.scope()))
        return [SavedSegment.from_row(r) for r in rows]

    @strawberry.field(description="Entered / exited OneIDs between two runs (default: last against the one before).")
    async def segment_diff(self, info: Info, saved_id: str, from_run_id: str | None = None,
                           to_run_id: str | None = None) -> SegmentDiff:
        c = ctx(info)
        principal = c.require(Action.READ)

        def run(db: _Bridge) -> SegmentDiff:
            _saved(db, saved_id, principal)
            d = store.diff(db, saved_id, from_run=from_run_id, to_run=to_run_id)
            scope = principal.scope()
            return SegmentDiff(segment_id=saved_id, from_run=SegmentRun.from_row(d.from_run),
                               to_run=SegmentRun.from_row(d.to_run),  # type: ignore[arg-type]
                               entered=store.in_scope(db, d.entered, scope), exited=store.in_scope(db, d.exited, scope))

        return await _call(c, run)


@strawberry.type
class SegmentMutation:
    @strawberry.mutation(description="Save a definition as a new version of segment `id` (created on first save).")
    async def save_segment(self, info: Info, id: str, definition: JSON, name: str | None = None,
                           description: str | None = None, scope: SegmentScope | None = None,
                           owner_id: str | None = None) -> SavedSegment:
        c = ctx(info)
        principal = c.require(Action.SAVE_SEGMENT)
        owner = _owner(principal, scope, owner_id)

        def run(db: _Bridge) -> dict[str, Any]:
            existing = store.get(db, id)
            if existing is not None and not _visible(existing, principal):
                raise Forbidden(f"segment '{id}' belongs to someone else", field="id")
            store.save(db, id, definition, owner, name=name, description=description, request=_request(principal))
            return store.get(db, id) or {}

        return SavedSegment.from_row({**(await _call(c, run)), "lastRun": None})

    @strawberry.mutation(description="Run a saved segment now and store its membership (for diffs and pushes).")
    async def materialise_segment(self, info: Info, saved_id: str) -> SegmentRun:
        c = ctx(info)
        principal = c.require(Action.SAVE_SEGMENT)

        def run(db: _Bridge) -> dict[str, Any]:
            if _saved(db, saved_id, principal)["scope"] == "oem" and not principal.sees_everything:
                raise Forbidden("OEM segments are materialised by the OEM", field="savedId")
            return store.materialise(db, saved_id, actor=principal.subject)

        return SegmentRun.from_row(await _call(c, run))  # type: ignore[return-value]
