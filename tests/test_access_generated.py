"""One dealer never reads or changes another dealer's customers, tags, leads, segments or review cases — checked
for every query and mutation the exported schema has, with documents generated from it, not listed by hand.

For each root field, each argument that names something (a record key, a One ID, a lead, a case, a dealer, a
tag code, a segment…) is given *another dealer's* value, one argument per document, with the required
arguments filled by type; the selection takes every field the type offers, three levels deep. Each document
is sent with a dealer app's token and with one of its advisors' tokens. An answer passes when

- it is not a 5xx and no error is INTERNAL;
- its `data` names none of the other dealers' records, customers, leads, cases, tags or segments (also not
  as Relay global ids);
- after a mutation, the other dealers' part of the graph is unchanged (a digest of their records, everything
  one step from them, and their leads', tags', persons' and cases' neighbours, plus their segments).

A new root field, or a new argument naming something, fails the test until `ARGUMENTS` says what it takes.
The same documents, with the world's own values, are sent with every role to check that no answer without
reveal rights carries a clear phone or ID number, and that each reveal a steward makes is audited.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from rich.console import Console
from starlette.testclient import TestClient

from carkg.api.app import create_app
from carkg.auth import Role
from carkg.auth.tokens import create_token
from carkg.bench.demo import prepare_demo_graph
from carkg.graph import Database
from carkg.graph.database import Target
from carkg.paths import GRAPHQL_DIR
from carkg.settings import ApiSettings
from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    build_schema,
    get_named_type,
    is_interface_type,
    is_leaf_type,
)

SCHEMA: GraphQLSchema = build_schema((GRAPHQL_DIR / "schema.graphql").read_text(encoding="utf-8"))
DEPTH = 3
CLEAR_PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
CLEAR_ID_NUMBER = re.compile(r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])")


@dataclass
class Foreign:
    """What belongs to dealers other than `dealer`: nothing of it may reach `dealer`'s callers."""

    dealer: str
    other_dealer: str
    other_advisor: str
    records: list[str]
    persons: list[str]
    leads: list[str]
    cases: list[str]
    phones: list[str]  # GraphQL ids (they carry the phone node's element id)
    tag_code: str
    segment: str

    def markers(self) -> list[str]:
        plain = [*self.records, *self.persons, *self.leads, *self.cases, *self.phones, self.tag_code, self.segment]
        typed = [("CustomerRecord", self.records), ("Customer", self.persons), ("Lead", self.leads),
                 ("ReviewCase", self.cases)]
        ids = [base64.b64encode(f"{kind}:{v}".encode()).decode() for kind, values in typed for v in values]
        return [json.dumps(m, ensure_ascii=False) for m in plain + ids]  # quoted: whole values only


# argument name -> the other dealer's value for it; a new argument naming something must be added here
ARGUMENTS: dict[str, Callable[[Foreign], Any]] = {
    "key": lambda f: f.records[0],
    "recordKeyA": lambda f: f.records[0],
    "recordKeyB": lambda f: f.records[1],
    "oneId": lambda f: f.persons[0],
    "customer": lambda f: f.persons[0],
    "lead": lambda f: f.leads[0],
    "leadId": lambda f: f.leads[0],
    "caseId": lambda f: f.cases[0],
    "phoneId": lambda f: f.phones[0],
    "dealer": lambda f: f.other_dealer,
    "dealerId": lambda f: f.other_dealer,
    "ownerId": lambda f: f.other_dealer,
    "advisor": lambda f: f.other_advisor,
    "advisorId": lambda f: f.other_advisor,
    "code": lambda f: f.tag_code,
    "codes": lambda f: [f.tag_code],
    "savedId": lambda f: f.segment,
    "id": lambda f: base64.b64encode(f"CustomerRecord:{f.records[0]}".encode()).decode(),
    "target": lambda f: {"label": "CUSTOMER_RECORD", "key": f.records[0]},
    "groups": lambda f: [[f.records[0]], [f.records[1]]],
    "definition": lambda f: {"kind": "tag", "code": f.tag_code},
    "events": lambda f: [{"eventId": "access-check-1", "type": "open_material", "at": "2026-12-01T10:00:00+08:00",
                          "customerKey": f.records[0], "targetId": "MAT0001"}],
    "input": lambda f: {"code": f.tag_code, "nameZh": "越权", "nameEn": "cross-dealer", "category": "behaviour",
                        "scope": "dealer", "ownerId": f.other_dealer},
}
# argument names that name nothing (filters, paging, free text): filled by type when required, else left out
PLAIN = {"materialId", "filter", "orderBy", "first", "after", "city", "actor", "action", "status", "kind", "minScore",
         "maxScore", "reason", "since", "scope", "category", "minConfidence", "source", "fromRunId", "toRunId", "grade",
         "open", "k", "name", "description", "decision", "value", "confidence", "expiresAt", "evidence"}
SCALARS: dict[str, Any] = {"String": "access-check", "ID": "access-check", "Int": 3, "Float": 0.5, "Boolean": True,
                           "DateTime": "2026-12-01T00:00:00+00:00", "Date": "2026-12-01", "JSON": {}}


# -- documents from the schema ----------------------------------------------------------------------------


def _fill(t: GraphQLInputType) -> Any:
    """A valid value of an input type: required input fields filled, optional ones left out."""
    if isinstance(t, GraphQLNonNull):
        return _fill(t.of_type)
    if isinstance(t, GraphQLList):
        return [_fill(t.of_type)]
    if isinstance(t, GraphQLEnumType):
        return next(iter(t.values))
    if isinstance(t, GraphQLInputObjectType):
        return {name: _fill(f.type) for name, f in t.fields.items()
                if isinstance(f.type, GraphQLNonNull) and f.default_value is None}
    assert isinstance(t, GraphQLScalarType)
    return SCALARS[t.name]


def _required(arg: GraphQLArgument) -> bool:
    from graphql.pyutils import Undefined

    return isinstance(arg.type, GraphQLNonNull) and arg.default_value is Undefined


def _selection(t: Any, depth: int) -> str:
    named = get_named_type(t)
    if is_leaf_type(named):
        return ""
    if isinstance(named, GraphQLUnionType) or is_interface_type(named):
        return "{ __typename }"
    assert isinstance(named, GraphQLObjectType)
    parts = []
    for name, field in named.fields.items():
        if any(_required(a) for a in field.args.values()):
            continue
        if is_leaf_type(get_named_type(field.type)):
            parts.append(name)
        elif depth > 1:
            parts.append(f"{name} {_selection(field.type, depth - 1)}")
    parts = [p for p in parts if not p.endswith(" ")]
    return "{ " + " ".join(parts or ["__typename"]) + " }"


@dataclass
class Document:
    operation: str  # query | mutation
    field: str
    argument: str | None  # the one argument carrying a foreign value (None: required ones only)
    text: str
    variables: dict[str, Any]

    def __str__(self) -> str:
        return f"{self.operation} {self.field}({self.argument or ''})"


def documents(foreign: Foreign) -> Iterator[Document]:
    for operation, root in (("query", SCHEMA.query_type), ("mutation", SCHEMA.mutation_type)):
        assert root is not None
        for name, field in root.fields.items():
            yield from _documents_for(operation, name, field, foreign)


def _documents_for(operation: str, name: str, field: GraphQLField, foreign: Foreign) -> Iterator[Document]:
    unknown = [a for a in field.args if a not in ARGUMENTS and a not in PLAIN]
    assert not unknown, f"{operation} {name}: say in ARGUMENTS or PLAIN what arguments {unknown} take"
    named = [a for a in field.args if a in ARGUMENTS]
    required = [a for a, arg in field.args.items() if _required(arg)]
    choices = [a for a in named if a not in required] or [None]
    for choice in choices:
        chosen = {a: field.args[a] for a in field.args if a in required or a == choice}
        variables = {a: ARGUMENTS[a](foreign) if a in ARGUMENTS else _fill(arg.type) for a, arg in chosen.items()}
        declared = ", ".join(f"${a}: {arg.type}" for a, arg in chosen.items())
        passed = ", ".join(f"{a}: ${a}" for a in chosen)
        text = (f"{operation} Access{'(' + declared + ')' if declared else ''} "
                f"{{ {name}{'(' + passed + ')' if passed else ''} {_selection(field.type, DEPTH)} }}")
        yield Document(operation, name, choice, text, variables)


# -- the world ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def graph(database: Database) -> Database:
    """The 300-customer demo as `carkg up` serves it: loaded, tagged by the rules and keywords, resolved."""
    database.wipe()
    database.apply_schema()
    prepare_demo_graph(database, customers=300, seed=23, console=Console(quiet=True))
    return database


@pytest.fixture(scope="module")
def client(graph: Database, neo4j_target: Target) -> Iterator[TestClient]:
    with TestClient(create_app(neo4j_target, ApiSettings(token_cache_seconds=0))) as c:
        yield c


def _gql(client: TestClient, token: str, text: str, variables: dict[str, Any] | None = None) -> Any:
    return client.post("/graphql", json={"query": text, "variables": variables or {}},
                       headers={"Authorization": f"Bearer {token}"})


@pytest.fixture(scope="module")
def foreign(graph: Database, client: TestClient) -> Foreign:
    """Dealer A: the dealer of the advisor serving most customers; B: another dealer with leads. B's app
    defines a dealer tag, puts it on one of B's customers and saves a segment, through the API."""
    a = graph.query("""
        MATCH (r:CustomerRecord)-[:SERVED_BY]->(adv:Advisor)-[:WORKS_AT]->(d:Dealer)
        RETURN d.dealerId AS dealer, count(r) AS n ORDER BY n DESC, dealer LIMIT 1""")[0]["dealer"]
    rows = graph.query("""
        MATCH (r:CustomerRecord) WHERE r.stub IS NULL
        WITH r, [(r)-[:CUSTOMER_OF]->(d:Dealer) | d.dealerId]
              + [(r)-[:SERVED_BY]->(:Advisor)-[:WORKS_AT]->(d:Dealer) | d.dealerId]
              + [(r)-[:HAS_LEAD]->(:Lead)-[:AT_DEALER]->(d:Dealer) | d.dealerId]
              + [(r)-[:HAD_SERVICE]->(:ServiceVisit)-[:AT_DEALER]->(d:Dealer) | d.dealerId] AS dealers
        WHERE NOT $a IN dealers
        RETURN r.key AS key, dealers ORDER BY key""", {"a": a})
    records = [r["key"] for r in rows]
    b = max({d for r in rows for d in r["dealers"]}, key=lambda d: (sum(d in r["dealers"] for r in rows), d))
    b_records = sorted({r["key"] for r in rows if b in r["dealers"]})
    persons = [r["oneId"] for r in graph.query("""
        MATCH (p:Person)<-[:RESOLVED_TO]-(r:CustomerRecord)
        WITH p, collect(r.key) AS keys WHERE all(k IN keys WHERE k IN $records)
        RETURN p.oneId AS oneId ORDER BY oneId""", {"records": records})]
    leads = [r["leadId"] for r in graph.query("""
        MATCH (r:CustomerRecord)-[:HAS_LEAD]->(l:Lead)-[:AT_DEALER]->(d:Dealer)
        WHERE r.key IN $records AND d.dealerId <> $a
          AND NOT EXISTS { (l)-[:ASSIGNED_TO]->(:Advisor)-[:WORKS_AT]->(:Dealer {dealerId: $a}) }
        RETURN DISTINCT l.leadId AS leadId ORDER BY leadId""", {"records": records, "a": a})]
    cases = [r["caseId"] for r in graph.query("""
        MATCH (c:ReviewCase)-[:CONCERNS]->(r:CustomerRecord)
        WITH c, collect(r.key) AS keys WHERE all(k IN keys WHERE k IN $records)
        RETURN c.caseId AS caseId ORDER BY caseId""", {"records": records})]
    phones = [base64.b64encode(f"Phone:{r['id']}".encode()).decode() for r in graph.query("""
        MATCH (ph:Phone)--(r:CustomerRecord)
        WITH ph, collect(r.key) AS keys WHERE all(k IN keys WHERE k IN $records)
        RETURN elementId(ph) AS id ORDER BY id""", {"records": records})]
    b_advisor = graph.query("MATCH (adv:Advisor)-[:WORKS_AT]->(:Dealer {dealerId: $b}) RETURN adv.advisorId AS a "
                            "ORDER BY a LIMIT 1", {"b": b})[0]["a"]
    b_app = create_token(graph, "access-b-app", Role.APP, dealer_id=b)
    code, segment = f"b_only_{b.lower()}", f"b-segment-{b.lower()}"
    done = [
        _gql(client, b_app, """mutation ($input: TagDefinitionInput!) { defineTag(input: $input) { code } }""",
             {"input": {"code": code, "nameZh": "本店", "nameEn": "ours", "category": "behaviour", "scope": "dealer"}}),
        _gql(client, b_app, """mutation ($t: TagTargetInput!, $c: String!) { tag(target: $t, code: $c) { status } }""",
             {"t": {"label": "CUSTOMER_RECORD", "key": b_records[0]}, "c": code}),
        _gql(client, b_app, """mutation ($id: String!, $d: JSON!) { saveSegment(id: $id, definition: $d, scope: DEALER)
             { id } }""", {"id": segment, "d": {"kind": "tag", "code": code}}),
    ]
    for resp in done:
        assert resp.status_code == 200 and not resp.json().get("errors"), resp.text
    assert len(records) >= 2 and persons and leads and phones, (len(records), persons, leads, phones)
    return Foreign(a, b, b_advisor, [*b_records, *[k for k in records if k not in b_records]], persons, leads,
                   cases or ["no-case"], phones, code, segment)


@pytest.fixture(scope="module")
def dealer_tokens(graph: Database, foreign: Foreign) -> dict[str, str]:
    advisor = graph.query("""
        MATCH (:CustomerRecord)-[:SERVED_BY]->(adv:Advisor)-[:WORKS_AT]->(:Dealer {dealerId: $a})
        RETURN adv.advisorId AS a, count(*) AS n ORDER BY n DESC, a LIMIT 1""", {"a": foreign.dealer})[0]["a"]
    return {"dealer_app": create_token(graph, "access-a-app", Role.APP, dealer_id=foreign.dealer),
            "advisor": create_token(graph, "access-a-advisor", Role.ADVISOR, advisor_id=advisor,
                                    dealer_id=foreign.dealer)}


def _digest(db: Database, f: Foreign) -> str:
    """The other dealers' part of the graph, as one digest."""
    rows = db.query("""
        MATCH (r:CustomerRecord) WHERE r.key IN $keys
        CALL (r) { MATCH (r)-[a]-(x) RETURN collect([type(a), properties(a), labels(x), properties(x)]) AS near }
        CALL (r) {
          MATCH (r)--(m)-[b]-(y) WHERE (m:Lead OR m:TagAssignment OR m:Person OR m:ReviewCase) AND y <> r
          RETURN collect([labels(m), type(b), properties(b), labels(y), properties(y)]) AS far }
        RETURN r.key AS key, properties(r) AS props, near, far ORDER BY key""", {"keys": f.records})
    segments = db.query("""
        MATCH (s:Segment {id: $id}) OPTIONAL MATCH (s)-[h]->(v)
        RETURN properties(s) AS s, collect([type(h), properties(v)]) AS versions""", {"id": f.segment})
    tags = db.query("MATCH (t:Tag {code: $code}) RETURN properties(t) AS t", {"code": f.tag_code})
    canonical = [(r["key"], repr(sorted(r["props"].items())), sorted(map(repr, r["near"])), sorted(map(repr, r["far"])))
                 for r in rows]
    canonical.append(repr([(repr(sorted(s["s"].items())), sorted(map(repr, s["versions"]))) for s in segments]))
    canonical.append(repr([sorted(t["t"].items()) for t in tags]))
    return hashlib.sha256(repr(canonical).encode()).hexdigest()


def test_every_generated_document_covers_every_root_field(foreign: Foreign) -> None:
    docs = list(documents(foreign))
    roots = {("query", n) for n in SCHEMA.query_type.fields} | {("mutation", n) for n in SCHEMA.mutation_type.fields}  # type: ignore[union-attr]
    assert {(d.operation, d.field) for d in docs} == roots
    assert len(docs) > len(roots)  # fields with several entity arguments get one document per argument


@pytest.mark.parametrize("role", ["dealer_app", "advisor"])
def test_a_dealer_scoped_token_never_reads_or_changes_another_dealers_data(
        role: str, client: TestClient, graph: Database, foreign: Foreign, dealer_tokens: dict[str, str]) -> None:
    token, markers = dealer_tokens[role], foreign.markers()
    failures: list[str] = []
    before = _digest(graph, foreign)
    for doc in documents(foreign):
        resp = _gql(client, token, doc.text, doc.variables)
        body = resp.json() if resp.headers.get("content-type", "").startswith("application/json") else {}
        codes = [e.get("extensions", {}).get("code") for e in body.get("errors") or []]
        if resp.status_code >= 500 or "INTERNAL" in codes:
            failures.append(f"{doc}: HTTP {resp.status_code} {codes}: {resp.text[:300]}")
            continue
        if "LIMIT_EXCEEDED" in codes or (codes and codes[0] == "BAD_USER_INPUT" and body.get("data") is None
                                         and "Variable" in body["errors"][0]["message"]):
            failures.append(f"{doc}: the generated document was refused: {body['errors'][0]['message']}")
        data = json.dumps(body.get("data"), ensure_ascii=False)
        if leaked := [m for m in markers if m in data]:
            failures.append(f"{doc}: data names another dealer's {leaked[:3]}: {data[:300]}")
        if doc.operation == "mutation":
            after = _digest(graph, foreign)
            if after != before:
                failures.append(f"{doc}: changed another dealer's data (answer: {resp.text[:300]})")
                before = after
    assert not failures, "\n".join(failures)


def test_no_role_without_reveal_rights_sees_a_clear_phone_or_id_number_and_reveals_are_audited(
        client: TestClient, graph: Database, foreign: Foreign, dealer_tokens: dict[str, str]) -> None:
    tokens = {**dealer_tokens, **{role.value: create_token(graph, f"access-{role.value}", role)
                                  for role in (Role.ADMIN, Role.ANALYST, Role.STEWARD, Role.APP)}}
    failures: list[str] = []
    for role, token in tokens.items():
        for doc in documents(foreign):
            if doc.operation == "mutation" and doc.field != "revealPhone":
                continue  # the access test above sends the mutations; here what each role reads
            reveals = graph.query("MATCH (e:AuditEntry {action: 'reveal'}) RETURN count(e) AS n")[0]["n"]
            body = _gql(client, token, doc.text, doc.variables).json()
            data = json.dumps(body.get("data"), ensure_ascii=False)
            revealed = doc.field == "revealPhone" and body.get("data")
            if revealed:
                after = graph.query("MATCH (e:AuditEntry {action: 'reveal'}) RETURN count(e) AS n")[0]["n"]
                if after != reveals + 1:
                    failures.append(f"[{role}] {doc}: a reveal without its audit entry")
                if role != Role.STEWARD.value:
                    failures.append(f"[{role}] {doc}: revealed a phone without reveal rights")
            elif CLEAR_PHONE.search(data) or CLEAR_ID_NUMBER.search(data):
                failures.append(f"[{role}] {doc}: a clear phone or ID number in {data[:300]}")
    assert not failures, "\n".join(failures)
