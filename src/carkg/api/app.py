"""The ASGI app: strawberry's GraphQL on starlette, /health (process) and /ready (database, schema), and the
pages of carkg.web (GraphiQL offline, /steward, /guide, /static)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import orjson
from neo4j import AsyncDriver, AsyncGraphDatabase
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse, process_result
from strawberry.types.unset import UNSET, UnsetType

from carkg.api.authn import Authenticator, AuthError
from carkg.api.context import Context
from carkg.api.errors import (
    DATABASE_DOWN,
    RETRY_AFTER_SECONDS,
    RETRY_SECONDS,
    DatabaseUnavailable,
    ErrorCode,
    classify,
    database_down,
    unavailable_response,
)
from carkg.api.events import EventServices, TextWebSocketAdapter, events_route
from carkg.api.graph import Graph
from carkg.api.logs import RequestLogMiddleware, configure_logging
from carkg.api.schema import schema
from carkg.api.shedding import LoadShedding
from carkg.graph.database import Target, resolve_target
from carkg.leads.live import LiveScorer
from carkg.settings import ApiSettings, Settings
from carkg.web import routes as web_routes
from carkg.web.graphiql import graphiql_page
from graphql import ExecutionResult, GraphQLError


class Services:
    """What lives as long as the app: the driver and the token cache."""

    driver: AsyncDriver
    database: str

    def __init__(self, settings: ApiSettings) -> None:
        self.settings = settings
        self.authenticator = Authenticator(settings)

    def graph(self) -> Graph:
        return Graph(self.driver, self.database)


class CarkgGraphQL(GraphQL):
    websocket_adapter_class = TextWebSocketAdapter  # type: ignore[assignment]

    def __init__(self, services: Services) -> None:
        super().__init__(schema, graphql_ide="graphiql")
        self.services = services

    async def get_context(self, request: Request | WebSocket, response: Any = None) -> Context:
        return await self.context_for(request, request.headers.get("authorization"))

    async def context_for(self, request: Request | WebSocket, header: str | None) -> Context:
        """The context of one operation for the caller `header` names (the pages pass their cookie's token)."""
        graph = self.services.graph()
        request_id = request.scope.get("state", {}).get("request_id", "-")
        try:
            principal = await self.services.authenticator.principal(header, graph)
            problem = None
        except AuthError as exc:
            principal, problem = None, str(exc)
        if principal is not None:
            request.scope.setdefault("state", {})["caller"] = principal.subject
        return Context(graph=graph, settings=self.services.settings, request_id=request_id,
                       principal=principal, auth_problem=problem, request=request)

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        """Websocket callers authenticate in connection_init: `{"Authorization": "Bearer <token>"}`."""
        params = context.connection_params or {}
        header = params.get("Authorization") or params.get("authorization")
        try:
            principal = await self.services.authenticator.principal(header, context.graph)
        except AuthError as exc:
            raise ConnectionRejectionError({"reason": str(exc)}) from exc
        if principal is None:
            raise ConnectionRejectionError({"reason": "send {'Authorization': 'Bearer <token>'} in connection_init"})
        context.principal = principal
        return UNSET

    async def render_graphql_ide(self, request: Request) -> Response:
        """GraphiQL from the package's own files, not strawberry's CDN page: it works offline."""
        return graphiql_page(request)

    def encode_json(self, data: object) -> bytes:
        """orjson: several times faster than the standard library on the nested results of customer views
        (and it serialises datetimes itself)."""
        return orjson.dumps(data)

    async def execute_single(self, *args: Any, **kwargs: Any) -> ExecutionResult:
        """Every operation runs under the request timeout; running out is a LIMIT_EXCEEDED error."""
        seconds = self.services.settings.timeout_seconds
        try:
            async with asyncio.timeout(seconds):
                result = await super().execute_single(*args, **kwargs)
        except TimeoutError:
            error = GraphQLError(f"request took longer than {seconds:g}s and was stopped",
                                 extensions={"code": ErrorCode.LIMIT_EXCEEDED.value})
            return ExecutionResult(data=None, errors=[error])
        if isinstance(result, ExecutionResult) and database_down(result.errors):
            raise DatabaseUnavailable
        return result

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        if result.errors:
            request_id = request.scope.get("state", {}).get("request_id", "-")
            result.errors = [classify(e, request_id) for e in result.errors]
        return process_result(result)


def create_app(target: Target | None = None, settings: ApiSettings | None = None,
               scorer: LiveScorer | None = None) -> Starlette:
    """`scorer` re-scores leads after events (default: the latest model `carkg leads train` saved)."""
    settings = settings or ApiSettings()
    services = Services(settings)
    events = EventServices(scorer=scorer or LiveScorer(Settings().lead_models_dir))
    configure_logging()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        t = target or resolve_target(start_local=True)
        services.driver = AsyncGraphDatabase.driver(
            t.uri, auth=(t.user, t.password), notifications_min_severity="OFF", max_connection_pool_size=100,
            max_transaction_retry_time=RETRY_SECONDS,
        )
        services.database = t.database
        events.open(t)
        try:
            yield
        finally:
            await events.aclose()
            await services.driver.close()

    async def health(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def ready(request: Request) -> JSONResponse:
        try:
            rows = await services.graph().read("admin/ready")
        except Exception as exc:  # any failure means "not ready"; the kind of failure is for operators
            return JSONResponse({"status": "unavailable", "reason": type(exc).__name__}, status_code=503,
                                headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
        if rows[0]["constraints"] == 0:
            return JSONResponse({"status": "unavailable", "reason": "schema not applied"}, status_code=503)
        return JSONResponse({"status": "ready", "constraints": rows[0]["constraints"]})

    graphql_app = CarkgGraphQL(services)
    app = Starlette(
        routes=[
            Route("/health", health),
            Route("/ready", ready),
            Route("/graphql", graphql_app, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql_app),
            events_route(services),
            *web_routes(graphql_app),
        ],
        lifespan=lifespan,
        exception_handlers={e: unavailable_response for e in (*DATABASE_DOWN, DatabaseUnavailable)},
    )
    app.state.events = events
    app.add_middleware(LoadShedding, limit=settings.max_in_flight)
    app.add_middleware(RequestLogMiddleware)
    return app
