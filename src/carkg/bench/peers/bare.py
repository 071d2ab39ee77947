"""The ceiling for a Python service: Starlette and the neo4j async driver, one response-shaped Cypher read per
request (`cypher/bench/bare_*.cypher`), orjson out — no GraphQL, no tokens, no per-field resolution. It takes the
same JSON body as carkg's `/graphql` (`{"query", "variables"}`; the query text is ignored), so one load generator
drives both. Run by `carkg bench api --peers` as `uvicorn carkg.bench.peers.bare:create_app --factory`, with
NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD / NEO4J_DATABASE."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, LiteralString, cast

import orjson
from neo4j import AsyncDriver, AsyncGraphDatabase
from neo4j.time import Date, DateTime, Duration, Time
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from carkg.graph.cypher import cypher

# route → (named Cypher, the variable it takes, the root field of the answer)
ROUTES = {
    "/customer360": ("bench/bare_customer_360", "oneId", "customer"),
    "/tagged": ("bench/bare_tagged_entities", "code", "taggedEntities"),
}


def _default(value: Any) -> Any:
    if isinstance(value, Date | DateTime | Time | Duration):
        return value.iso_format()
    raise TypeError(f"not JSON: {type(value).__name__}")


def create_app() -> Starlette:
    driver: dict[str, AsyncDriver] = {}
    database = os.environ.get("NEO4J_DATABASE", "neo4j")

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        driver["d"] = AsyncGraphDatabase.driver(
            os.environ["NEO4J_URI"], auth=(os.environ.get("NEO4J_USER", "neo4j"), os.environ["NEO4J_PASSWORD"]),
            max_connection_pool_size=100, notifications_min_severity="OFF")
        yield
        await driver["d"].close()

    def endpoint(name: str, variable: str, root: str) -> Any:
        query = cast(LiteralString, cypher(name))

        async def answer(request: Request) -> Response:
            value = orjson.loads(await request.body())["variables"][variable]
            records, _, _ = await driver["d"].execute_query(query, {variable: value}, database_=database,
                                                            routing_="r")
            data = records[0][0] if records else None
            if root == "taggedEntities":
                data = {"edges": [{"node": edge} for edge in data or []]}
            return Response(orjson.dumps({"data": {root: data}}, default=_default), media_type="application/json")

        return answer

    async def ready(request: Request) -> Response:
        await driver["d"].verify_connectivity()
        return Response(b'{"status": "ready"}', media_type="application/json")

    routes = [Route(path, endpoint(*spec), methods=["POST"]) for path, spec in ROUTES.items()]
    return Starlette(routes=[*routes, Route("/ready", ready)], lifespan=lifespan)
