"""The API's way to the database: named Cypher files on the async driver, counted per request.

The count is what keeps the DataLoaders honest: a test asserts that a nested request sends a small
constant number of queries however long the page is.
"""

from __future__ import annotations

from typing import Any, LiteralString, cast

from neo4j import AsyncDriver, RoutingControl

from carkg.graph.cypher import cypher


class Graph:
    """One per request (cheap: it only holds the shared driver)."""

    def __init__(self, driver: AsyncDriver, database: str) -> None:
        self.driver = driver
        self.database = database
        self.queries = 0

    async def read(self, name: str, **params: Any) -> list[dict[str, Any]]:
        return await self._run(name, params, RoutingControl.READ)

    async def write(self, name: str, **params: Any) -> list[dict[str, Any]]:
        return await self._run(name, params, RoutingControl.WRITE)

    async def _run(self, name: str, params: dict[str, Any], routing: RoutingControl) -> list[dict[str, Any]]:
        self.queries += 1
        records, _, _ = await self.driver.execute_query(
            cast(LiteralString, cypher(name)), params, database_=self.database, routing_=routing
        )
        return [r.data() for r in records]
