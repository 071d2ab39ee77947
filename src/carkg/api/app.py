"""The ASGI app: strawberry's GraphQL on starlette, plus /health (process) and /ready (database)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, LiteralString, cast

from neo4j import AsyncDriver, AsyncGraphDatabase
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from carkg.api.schema import schema
from carkg.graph.cypher import cypher
from carkg.graph.database import Target, resolve_target


class CarkgGraphQL(GraphQL):
    def __init__(self, driver_holder: dict[str, Any]) -> None:
        super().__init__(schema, graphql_ide="graphiql")
        self.holder = driver_holder

    async def get_context(self, request: Request | WebSocket, response: Any = None) -> dict[str, Any]:
        return {"request": request, "driver": self.holder["driver"], "database": self.holder["database"]}


def create_app(target: Target | None = None) -> Starlette:
    holder: dict[str, Any] = {}

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        t = target or resolve_target(start_local=True)
        driver: AsyncDriver = AsyncGraphDatabase.driver(t.uri, auth=(t.user, t.password))
        holder.update(driver=driver, database=t.database)
        try:
            yield
        finally:
            await driver.close()

    async def health(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def ready(request: Request) -> JSONResponse:
        try:
            records, _, _ = await holder["driver"].execute_query(
                cast(LiteralString, cypher("admin/ready")), database_=holder["database"], routing_="r"
            )
            constraints = records[0]["constraints"]
        except Exception as exc:  # any failure means "not ready"; the reason is for operators
            return JSONResponse({"status": "unavailable", "reason": type(exc).__name__}, status_code=503)
        if constraints == 0:
            return JSONResponse({"status": "unavailable", "reason": "schema not applied"}, status_code=503)
        return JSONResponse({"status": "ready", "constraints": constraints})

    graphql_app = CarkgGraphQL(holder)
    return Starlette(
        routes=[
            Route("/health", health),
            Route("/ready", ready),
            Route("/graphql", graphql_app, methods=["GET", "POST"]),
        ],
        lifespan=lifespan,
    )
