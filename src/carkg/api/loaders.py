"""DataLoaders: every relationship field of a page is fetched in one query per field kind.

Each loader runs one named Cypher file with the whole batch of keys (`UNWIND $keys …`), so a page of
20 or of 100 customer records costs the same number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from strawberry.dataloader import DataLoader

from carkg.api.graph import Graph
from carkg.auth import Principal


def keyed_loader(
    graph: Graph, name: str, *, param: str, key: str, pick: Callable[[dict[str, Any]], Any], **fixed: Any
) -> DataLoader[str, Any]:
    """A loader over `cypher/<name>.cypher`: `$<param>` gets the batch, rows are matched back by `key`."""

    async def load(keys: list[str]) -> list[Any]:
        rows = await graph.read(name, **{param: list(keys)}, **fixed)
        found = {row[key]: pick(row) for row in rows}
        return [found.get(k) for k in keys]

    return DataLoader(load_fn=load)


def customer_loader(graph: Graph, **fixed: Any) -> DataLoader[str, list[dict[str, Any]]]:
    """Whole customers by One ID in one query: per customer, its records in the caller's row scope, each with
    its RESOLVED_TO link and everything `api/record_details` reads (empty when none is visible)."""

    async def load(one_ids: list[str]) -> list[list[dict[str, Any]]]:
        rows = await graph.read("api/record_details", oneIds=list(one_ids), keys=None, **fixed)
        found: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            found[row["oneId"]].append(row)
        return [found.get(one_id, []) for one_id in one_ids]

    return DataLoader(load_fn=load)


class Loaders:
    """One set per request: loaders cache, and a cache must not outlive the caller's permissions."""

    def __init__(self, graph: Graph, principal: Principal) -> None:
        scope, viewer = principal.scope(), principal.viewer()

        self.records = keyed_loader(graph, "api/records_by_key", param="keys", key="key",
                                    pick=lambda row: row["record"], scope=scope)
        self.details = keyed_loader(graph, "api/record_details", param="keys", key="key", pick=dict, viewer=viewer,
                                    scope=scope, oneIds=None)
        self.person_of_record = keyed_loader(graph, "api/record_person", param="keys", key="key", pick=dict)
        self.customers = customer_loader(graph, viewer=viewer, scope=scope)
        self.households = keyed_loader(graph, "api/households", param="oneIds", key="oneId",
                                       pick=lambda r: r["members"])
        self.leads = keyed_loader(graph, "leads/by_id", param="ids", key="leadId", pick=dict, scope=scope)
        self.lead_scores = keyed_loader(graph, "leads/score_history", param="ids", key="leadId",
                                        pick=lambda r: r["entries"])
        self.dealer = keyed_loader(graph, "api/dealers_by_id", param="ids", key="id", pick=lambda r: r["dealer"])
        self.advisor = keyed_loader(graph, "api/advisors_by_id", param="ids", key="id", pick=lambda r: r["advisor"])
        self.brand = keyed_loader(graph, "api/brands_by_code", param="ids", key="id", pick=lambda r: r["brand"])
        self.model = keyed_loader(graph, "api/models_by_code", param="ids", key="id", pick=lambda r: r["model"])
        self.material = keyed_loader(graph, "api/materials_by_id", param="ids", key="id",
                                     pick=lambda r: r["material"])
        self.dealer_advisors = keyed_loader(graph, "api/dealer_advisors", param="ids", key="id",
                                            pick=lambda r: r["advisors"])
