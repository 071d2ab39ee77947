"""The API's way to the database: named Cypher files on the async driver, counted per request.

The count is what keeps the DataLoaders honest: a test asserts that a nested request sends a small
constant number of queries however long the page is.
"""

from __future__ import annotations

from typing import Any, LiteralString, cast

from neo4j import READ_ACCESS, AsyncDriver, RoutingControl

from carkg.graph.cypher import cypher


class Graph:
    """One per request (cheap: it only holds the shared driver)."""

    def __init__(self, driver: AsyncDriver, database: str) -> None:
        self.driver = driver
        self.database = database
        self.queries = 0

    async def read(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """An auto-commit read: one round trip (RUN+PULL), where a managed transaction needs BEGIN and
        COMMIT too. Reads are idempotent, so a caller may simply retry on a transient error."""
        self.queries += 1
        async with self.driver.session(database=self.database, default_access_mode=READ_ACCESS) as session:
            result = await session.run(cast(LiteralString, cypher(name)), params)
            return await result.data()

    async def write(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """A managed transaction: retried on transient errors, never half applied."""
        self.queries += 1
        records, _, _ = await self.driver.execute_query(
            cast(LiteralString, cypher(name)), params, database_=self.database, routing_=RoutingControl.WRITE
        )
        return [r.data() for r in records]
