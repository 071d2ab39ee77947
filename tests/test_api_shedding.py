"""Under overload the API answers 503 with Retry-After at once instead of letting callers wait into a timeout."""

from __future__ import annotations

import asyncio

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from carkg.api.app import create_app
from carkg.api.shedding import LoadShedding
from carkg.graph.database import Target
from carkg.settings import ApiSettings


def test_requests_beyond_the_limit_in_flight_get_503_with_retry_after_and_the_rest_are_served() -> None:
    release = asyncio.Event()

    async def slow(request: Request) -> PlainTextResponse:
        await release.wait()
        return PlainTextResponse("done")

    async def health(request: Request) -> PlainTextResponse:
        return PlainTextResponse("ok")

    shedding = LoadShedding(Starlette(routes=[Route("/graphql", slow, methods=["POST"]), Route("/health", health)]),
                            limit=2)

    async def scenario() -> None:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=shedding), base_url="http://t") as http:
            held = [asyncio.create_task(http.post("/graphql")) for _ in range(2)]
            while shedding.in_flight < 2:
                await asyncio.sleep(0.01)
            over = await http.post("/graphql")
            assert over.status_code == 503 and over.headers["Retry-After"] == "1"
            assert over.json()["errors"][0]["extensions"]["code"] == "UNAVAILABLE"
            assert (await http.get("/health")).status_code == 200  # probes are never shed
            release.set()
            assert [r.status_code for r in await asyncio.gather(*held)] == [200, 200]
            assert (await http.post("/graphql")).status_code == 200 and shedding.in_flight == 0
            assert shedding.shed == 1

    asyncio.run(scenario())


def test_the_api_sheds_with_its_configured_limit(neo4j_target: Target) -> None:
    with TestClient(create_app(neo4j_target, ApiSettings(max_in_flight=0))) as client:
        answer = client.post("/graphql", json={"query": "{ __typename }"})
        assert answer.status_code == 503 and answer.headers["Retry-After"] == "1"
        assert client.post("/events", json=[]).status_code == 503
        assert client.get("/health").status_code == 200
