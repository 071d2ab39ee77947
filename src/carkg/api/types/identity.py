"""One ID as a data steward sees it: review cases with the evidence side by side, the MATCHES evidence
between a customer's records, the decisions stewards made and what a decision did."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from enum import Enum
from typing import Any, ClassVar, Self
from weakref import WeakKeyDictionary

import strawberry
from strawberry import relay
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from carkg.api.context import ctx
from carkg.api.errors import Forbidden
from carkg.api.graph import Graph
from carkg.api.loaders import Loaders, keyed_loader
from carkg.api.types.convert import as_datetime, mask_token
from carkg.api.types.identifiers import Device, IdDocument, Identifier, Phone, WeChatAccount
from carkg.api.types.records import CustomerRecord
from carkg.auth import Principal, Role

# Who may read match evidence and the review queue. Advisors and apps work on their own customers and
# must not learn which other records a person's identifiers point at.
REVIEWERS = frozenset({Role.ADMIN, Role.ANALYST, Role.STEWARD})
# Other records drawn per identifier in a case's neighbourhood: enough to see a shared phone for what it is.
NEIGHBOURS_PER_IDENTIFIER = 8


def require_reviewer(info: Info) -> Principal:
    principal = ctx(info).caller()
    if principal.role not in REVIEWERS:
        raise Forbidden(f"role {principal.role.value} may not read match reviews")
    return principal


class IdentityLoaders:
    """This request's loaders for review cases and per-customer evidence (one query per page each)."""

    def __init__(self, graph: Graph) -> None:
        self.cases: DataLoader[str, Any] = keyed_loader(graph, "identity/review_cases", param="caseIds",
                                                        key="caseId", pick=dict)
        self.person_matches: DataLoader[str, Any] = keyed_loader(graph, "identity/review_person_matches",
                                                                 param="oneIds", key="oneId", pick=dict)
        self.identifiers: DataLoader[str, Any] = keyed_loader(graph, "identity/review_case_identifiers",
                                                              param="caseIds", key="caseId",
                                                              pick=lambda r: r["identifiers"])
        self.neighbourhoods: DataLoader[str, Any] = keyed_loader(graph, "identity/review_case_neighbourhood",
                                                                 param="caseIds", key="caseId", pick=dict,
                                                                 perIdentifier=NEIGHBOURS_PER_IDENTIFIER)


# Kept beside the request's own Loaders and dropped with them: a cache must not outlive the request.
_LOADERS: WeakKeyDictionary[Loaders, IdentityLoaders] = WeakKeyDictionary()


def identity_loaders(info: Info) -> IdentityLoaders:
    c = ctx(info)
    loaders = c.loaders
    if loaders not in _LOADERS:
        _LOADERS[loaders] = IdentityLoaders(c.graph)
    return _LOADERS[loaders]


@strawberry.enum
class ReviewStatus(Enum):
    OPEN = "open"
    DECIDED = "decided"


@strawberry.enum
class ReviewKind(Enum):
    PAIR = "pair"
    CONFLICT = "conflict"


@strawberry.enum(description="How the review queue is sorted.")
class ReviewOrder(Enum):
    RISK = "risk"
    SCORE = "score"


@strawberry.type(description="How far the stewards are with the queue.")
class ReviewProgress:
    open: int
    decided: int
    decided_since: int = strawberry.field(description="decided at or after `since` (default: today, UTC)")


@strawberry.type(description="One compared field of a record pair: agree, disagree or missing, and its weight.")
class MatchEvidence:
    field: str
    outcome: str
    weight: float | None


@strawberry.type(description="MATCHES: two records compared by an identity run (link or review band).")
class MatchPair:
    record_a: CustomerRecord
    record_b: CustomerRecord
    score: float | None
    decision: str | None = strawberry.field(description="link or review")
    run_id: str | None
    at: datetime | None
    evidence: list[MatchEvidence]


@strawberry.type(description="A steward's word on a record pair, honoured by every identity run.")
class MatchDecision:
    id: str
    kind: str = strawberry.field(description="must_link or cannot_link")
    record_keys: list[str]
    reason: str | None = None
    actor: str | None = None
    at: datetime | None = None
    case_id: str | None = None
    previous_kind: str | None = strawberry.field(default=None, description="what this pair had before, if decided")

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> MatchDecision:
        return cls(id=row["id"], kind=row["kind"], record_keys=[row["a"], row["b"]], reason=row.get("reason"),
                   actor=row.get("actor"), at=as_datetime(row.get("at")), case_id=row.get("caseId"))


def _evidence(text: str | None) -> list[MatchEvidence]:
    try:
        items = json.loads(text) if text else []
    except (TypeError, ValueError):
        return []
    return [MatchEvidence(field=str(i.get("field")), outcome=str(i.get("outcome")), weight=i.get("weight"))
            for i in items if isinstance(i, dict)]


def match_pairs(rows: Iterable[dict[str, Any]], records: dict[str, dict[str, Any]]) -> list[MatchPair]:
    """MATCHES rows between records the caller may see (both ends in `records`)."""
    return [
        MatchPair(record_a=CustomerRecord.from_row(records[m["a"]]), record_b=CustomerRecord.from_row(records[m["b"]]),
                  score=m.get("score"), decision=m.get("decision"), run_id=m.get("runId"),
                  at=as_datetime(m.get("at")), evidence=_evidence(m.get("evidence")))
        for m in rows
        if m["a"] in records and m["b"] in records
    ]


def _masked(row: dict[str, Any]) -> str:
    return row.get("masked") or mask_token(row.get("raw")) or "?"


@strawberry.type(description="An identifier of a case's records and how widely it is shared: a phone on many "
                             "persons is a front desk or a family, not evidence that two records are one person.")
class CaseIdentifier:
    kind: str = strawberry.field(description="Phone, IdDocument, Device or WeChatAccount")
    masked: str
    suspect: bool
    suspect_reason: str | None
    case_record_keys: list[str] = strawberry.field(description="the case's records that carry it")
    record_count: int = strawberry.field(description="customer records carrying it in the whole graph")
    person_count: int = strawberry.field(description="resolved customers (persons) carrying it")

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> CaseIdentifier:
        return cls(kind=row["label"], masked=_masked(row), suspect=bool(row.get("suspect")),
                   suspect_reason=row.get("suspectReason"), case_record_keys=sorted(row["caseRecordKeys"]),
                   record_count=row["records"], person_count=row["persons"])


@strawberry.type(description="A node of a case's neighbourhood picture: a record, an identifier or a customer.")
class NeighbourhoodNode:
    id: str
    kind: str = strawberry.field(description="case_record, record, person, or the identifier's label in lower case")
    caption: str
    suspect: bool = False


@strawberry.type
class NeighbourhoodEdge:
    source: str
    target: str
    type: str


@strawberry.type(description="A case's records, their identifiers, the customers they resolve to and a few other "
                             "records sharing each identifier: what the steward's picture draws.")
class Neighbourhood:
    nodes: list[NeighbourhoodNode]
    edges: list[NeighbourhoodEdge]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Neighbourhood:
        nodes = [NeighbourhoodNode(id=f"record:{r['key']}", kind="case_record" if r["inCase"] else "record",
                                   caption=f"{r.get('name') or '?'} · {r['system']}") for r in row["records"]]
        nodes += [NeighbourhoodNode(id=f"id:{i['id']}", kind=i["label"].lower(),
                                    caption=f"{_masked(i)} ({i['records']})", suspect=bool(i["suspect"]))
                  for i in row["identifiers"]]
        edges = [NeighbourhoodEdge(source=f"record:{e['source']}", target=f"id:{e['target']}", type=e["type"])
                 for e in row["relationships"]]
        persons = sorted({r["oneId"] for r in row["records"] if r.get("oneId")})
        nodes += [NeighbourhoodNode(id=f"person:{p}", kind="person", caption=p) for p in persons]
        edges += [NeighbourhoodEdge(source=f"record:{r['key']}", target=f"person:{r['oneId']}", type="RESOLVED_TO")
                  for r in row["records"] if r.get("oneId")]
        return cls(nodes=nodes, edges=edges)


@strawberry.type(description="A review case: records an identity run could not settle, with the evidence.")
class ReviewCase(relay.Node):
    _id_attr: ClassVar[str] = "case_id"
    case_id: str
    kind: ReviewKind
    status: ReviewStatus
    score: float | None
    risk: float | None = strawberry.field(description="1 for a conflict; for a pair, up to 0.9 the closer its score "
                                                      "is to the middle of the review band (the least sure)")
    reason: str | None
    run_id: str | None
    created_at: datetime | None
    decision: str | None = strawberry.field(description="accept, reject or merge, once decided")
    decided_by: str | None
    decided_at: datetime | None
    decision_reason: str | None
    row: strawberry.Private[dict[str, Any]]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> ReviewCase:
        c = row["case"]
        return cls(
            case_id=c["caseId"], kind=ReviewKind(c["kind"]), status=ReviewStatus(c["status"]), score=c.get("score"),
            risk=c.get("risk"), reason=c.get("reason"), run_id=c.get("runId"),
            created_at=as_datetime(c.get("createdAt")),
            decision=c.get("decision"), decided_by=c.get("decidedBy"), decided_at=as_datetime(c.get("decidedAt")),
            decision_reason=c.get("decisionReason"), row=row,
        )

    @classmethod
    async def load_many(cls, info: Info, case_ids: list[str]) -> list[ReviewCase | None]:
        rows = await identity_loaders(info).cases.load_many(case_ids)
        records = ctx(info).loaders.records
        for row in rows:  # nested record fields must not re-read what the case already has
            for record in (row or {}).get("records", []):
                records.prime(record["key"], record)
        return [cls.from_row(r) if r else None for r in rows]

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Self | None]:
        require_reviewer(info)
        return await cls.load_many(info, list(node_ids))  # type: ignore[return-value]

    @strawberry.field(description="The records side by side (identifiers masked; `customer` is where each is now).")
    def records(self) -> list[CustomerRecord]:
        return [CustomerRecord.from_row(r) for r in self.row["records"]]

    @strawberry.field(description="MATCHES evidence between the case's records, best score first.")
    def evidence(self) -> list[MatchPair]:
        return match_pairs(self.row["matches"], {r["key"]: r for r in self.row["records"]})

    @strawberry.field(description="Steward decisions already standing between the case's records.")
    def decisions(self) -> list[MatchDecision]:
        return [MatchDecision.from_row(d) for d in self.row["decisions"]]

    @strawberry.field(description="Every identifier of the case's records, those on several of them first, with "
                                  "how many records and customers share it.")
    async def shared_identifiers(self, info: Info) -> list[CaseIdentifier]:
        rows = await identity_loaders(info).identifiers.load(self.case_id) or []
        found = [CaseIdentifier.from_row(r) for r in rows]
        return sorted(found, key=lambda i: (-len(i.case_record_keys), i.kind, i.masked))

    @strawberry.field(description="The case's graph neighbourhood, for a picture.")
    async def neighbourhood(self, info: Info) -> Neighbourhood:
        row = await identity_loaders(info).neighbourhoods.load(self.case_id)
        return Neighbourhood.from_row(row) if row else Neighbourhood(nodes=[], edges=[])


@strawberry.type(description="An identifier flagged suspect (shared, test or placeholder value) on a customer.")
class SuspectIdentifier:
    identifier: Identifier
    reason: str | None
    record_keys: list[str]


_IDENTIFIER_TYPES: dict[str, Any] = {"Phone": Phone, "IdDocument": IdDocument, "Device": Device,
                                     "WeChatAccount": WeChatAccount}


async def customer_match_evidence(info: Info, one_id: str, visible: dict[str, dict[str, Any]]) -> list[MatchPair]:
    require_reviewer(info)
    found = await identity_loaders(info).person_matches.load(one_id)
    return match_pairs((found or {}).get("matches", []), visible)


async def customer_suspects(info: Info, one_id: str, visible: dict[str, dict[str, Any]]) -> list[SuspectIdentifier]:
    require_reviewer(info)
    found = await identity_loaders(info).person_matches.load(one_id)
    out = []
    for row in (found or {}).get("suspects", []):
        keys = sorted(k for k in row["records"] if k in visible)
        if keys and row["label"] in _IDENTIFIER_TYPES:
            out.append(SuspectIdentifier(identifier=_IDENTIFIER_TYPES[row["label"]].from_row(row),
                                         reason=row.get("suspectReason"), record_keys=keys))
    return out
