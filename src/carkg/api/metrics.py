"""Tell the caller what their request cost: `extensions.queries` is the number of Cypher queries it sent.

Front-end developers see at once when a new field makes a page expensive, and the DataLoader test
holds this number constant as a page grows.
"""

from __future__ import annotations

from typing import Any

from strawberry.extensions import SchemaExtension


class QueryCount(SchemaExtension):
    def get_results(self) -> dict[str, Any]:
        graph = getattr(self.execution_context.context, "graph", None)
        return {"queries": graph.queries} if graph is not None else {}
