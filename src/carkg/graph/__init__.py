"""Talking to Neo4j: the driver, the named Cypher files, the schema and the label allow-list."""

from carkg.graph.cypher import cypher, statements
from carkg.graph.database import Database, connect
from carkg.graph.model import NodeLabel, RelType

__all__ = ["Database", "NodeLabel", "RelType", "connect", "cypher", "statements"]
