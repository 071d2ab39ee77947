"""One handle on the database: an external server when NEO4J_URI is set, the local one otherwise."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, LiteralString, cast

from neo4j import Driver, GraphDatabase, ManagedTransaction, RoutingControl

from carkg.graph.cypher import cypher, statements
from carkg.settings import LocalServerSettings, Neo4jSettings


@dataclass(frozen=True)
class Target:
    uri: str
    user: str
    password: str
    database: str
    local: bool


def resolve_target(start_local: bool = True) -> Target:
    """NEO4J_URI wins; otherwise the project's own server, started on demand."""
    external = Neo4jSettings()
    if external.uri:
        return Target(external.uri, external.user, external.password, external.database, local=False)
    from carkg.localneo4j import LocalServer

    server = LocalServer(LocalServerSettings())
    if start_local:
        server.start()
    return Target(server.bolt_uri, "neo4j", server.password, "neo4j", local=True)


class Database:
    def __init__(self, target: Target, *, retry_seconds: float = 30.0) -> None:
        """`retry_seconds`: how long a managed transaction is retried on transient errors and lost connections
        (the driver's own default is 30 s; a service answering callers wants to give up sooner)."""
        self.target = target
        self.retry_seconds = retry_seconds
        self.driver: Driver = self._driver()

    def _driver(self) -> Driver:
        # Notifications off: named queries mention optional properties on purpose (e.g. `suspect`), and the
        # server's "unknown property" warnings would flood the log and cost a round of work per query.
        t = self.target
        return GraphDatabase.driver(t.uri, auth=(t.user, t.password), notifications_min_severity="OFF",
                                    max_transaction_retry_time=self.retry_seconds)

    def close(self) -> None:
        self.driver.close()

    def reconnect(self) -> None:
        """A fresh connection pool, for when the server restarted under us (the bulk import restarts it)."""
        self.driver.close()
        self.driver = self._driver()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- queries ------------------------------------------------------------------------------------

    def read(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Run the named Cypher file on a reader and return its rows as dicts."""
        return self.query(cypher(name), params, write=False)

    def write(self, name: str, **params: Any) -> list[dict[str, Any]]:
        return self.query(cypher(name), params, write=True)

    def query(self, text: str, params: dict[str, Any] | None = None, *, write: bool = True) -> list[dict[str, Any]]:
        records, _, _ = self.driver.execute_query(
            cast(LiteralString, text),
            params or {},
            database_=self.target.database,
            routing_=RoutingControl.WRITE if write else RoutingControl.READ,
        )
        return [r.data() for r in records]

    def write_batch(self, text: str, rows: list[dict[str, Any]], **params: Any) -> dict[str, int]:
        """One batch = one managed transaction: retried on transient errors, never half applied."""

        def work(tx: ManagedTransaction) -> dict[str, int]:
            summary = tx.run(cast(LiteralString, text), rows=rows, **params).consume()
            c = summary.counters
            return {
                "nodes_created": c.nodes_created,
                "relationships_created": c.relationships_created,
                "properties_set": c.properties_set,
            }

        with self.driver.session(database=self.target.database) as session:
            return session.execute_write(work)

    # -- schema and housekeeping ----------------------------------------------------------------------

    def apply_schema(self) -> int:
        for statement in statements("schema"):
            self.query(statement)
        self.query("CALL db.awaitIndexes(300)")
        return len(statements("schema"))

    def counts(self) -> dict[str, int]:
        """Nodes per label and relationships per type: what a re-load must leave unchanged."""
        out: dict[str, int] = {}
        for row in self.read("admin/count_labels"):
            out[f"(:{row['label']})"] = row["count"]
        for row in self.read("admin/count_relationship_types"):
            out[f"[:{row['type']}]"] = row["count"]
        return out

    def wipe(self) -> None:
        """Delete every node; only the tests and `carkg bench load` (on its own server) call this."""
        # CALL … IN TRANSACTIONS only runs in an auto-commit transaction.
        with self.driver.session(database=self.target.database) as session:
            for statement in statements("admin/wipe"):
                session.run(cast(LiteralString, statement)).consume()

    def gds(self) -> Any:
        """A `graphdatascience` client on the same server."""
        from graphdatascience import GraphDataScience

        return GraphDataScience(
            self.target.uri, auth=(self.target.user, self.target.password), database=self.target.database
        )


def connect(start_local: bool = True) -> Database:
    return Database(resolve_target(start_local=start_local))
