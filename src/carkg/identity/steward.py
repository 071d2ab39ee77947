"""Data-steward decisions on One ID: accept or reject a review case, merge two customers, split one.

Each decision is one transaction that reads what it needs, checks it, writes the MatchDecision(s) the
identity engine honours on every later run, applies the change to the Person graph at once where that is
cheap, and writes the audit entry. The decision logic is written once as a generator of named Cypher
steps (it yields a `Step`, gets the rows back) so the same code runs on the CLI's sync driver and on the
API's async one, inside one managed transaction either way.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any, LiteralString, TypeVar, cast

from neo4j import AsyncDriver, AsyncManagedTransaction, ManagedTransaction

from carkg.graph import Database, cypher
from carkg.identity.oneids import new_one_id

MIN_REASON = 5
# A split writes cannot_link between every record of one group and every record of the others: exact, and
# small for real persons (a handful of records). Past this many pairs the split is refused: do it in steps.
MAX_SPLIT_PAIRS = 400

T = TypeVar("T")


class StewardError(ValueError):
    """A decision the steward cannot make as asked; `field` names the argument at fault."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


class StewardNotFound(StewardError):
    """The case, customer or record a decision is about does not exist."""


class StewardConflict(StewardError):
    """Someone else decided the case first; the message names who, so the steward can ask them."""


@dataclass(frozen=True)
class Actor:
    """Who decides, for MatchDecision.actor and the audit trail."""

    subject: str
    role: str
    request_id: str | None = None


@dataclass(frozen=True)
class Step:
    query: str
    params: dict[str, Any]


@dataclass(frozen=True)
class PairDecision:
    id: str
    kind: str
    key_a: str
    key_b: str
    previous: str | None  # the kind this pair had before, if a steward had decided it already


@dataclass
class Outcome:
    """What a decision did: the pair decisions stored, the cases closed, the persons touched."""

    action: str
    audit_id: str
    decisions: list[PairDecision] = field(default_factory=list)
    case_ids: list[str] = field(default_factory=list)
    one_ids: list[str] = field(default_factory=list)  # persons as they are now (kept, created)
    merged_one_ids: list[str] = field(default_factory=list)  # persons folded into another
    moved_keys: list[str] = field(default_factory=list)
    note: str | None = None  # what did not take effect at once


Flow = Generator[Step, list[dict[str, Any]], T]


# -- checks ---------------------------------------------------------------------------------------


def check_reason(reason: str) -> str:
    text = (reason or "").strip()
    if len(text) < MIN_REASON:
        raise StewardError(f"say why, in at least {MIN_REASON} characters", field="reason")
    return text


def pair_id(key_a: str, key_b: str) -> str:
    a, b = sorted((key_a, key_b))
    return f"MD|{a}|{b}"


def _pairs(pairs: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"id": pair_id(a, b), "a": min(a, b), "b": max(a, b)} for a, b in pairs]


def split_groups(person_keys: list[str], groups: list[list[str]]) -> list[list[str]]:
    """The groups cleaned and checked: at least two non-empty ones, each key of the person in exactly one."""
    cleaned = [[k.strip() for k in g if k.strip()] for g in groups]
    if len(cleaned) < 2 or any(not g for g in cleaned):
        raise StewardError("give at least two non-empty groups of record keys", field="groups")
    seen: set[str] = set()
    for i, group in enumerate(cleaned):
        for key in group:
            if key in seen:
                raise StewardError(f"record {key!r} is in more than one group", field=f"groups[{i}]")
            seen.add(key)
    foreign = sorted(seen - set(person_keys))
    if foreign:
        raise StewardError(f"not records of this customer: {', '.join(foreign)}", field="groups")
    missing = sorted(set(person_keys) - seen)
    if missing:
        raise StewardError(f"every record must be in a group; missing: {', '.join(missing)}", field="groups")
    pairs = sum(len(a) * len(b) for i, a in enumerate(cleaned) for b in cleaned[i + 1:])
    if pairs > MAX_SPLIT_PAIRS:
        raise StewardError(
            f"this split would store {pairs} cannot_link pairs (limit {MAX_SPLIT_PAIRS}: one per record pair "
            "across groups keeps every later run exact); split off fewer records at a time", field="groups")
    return cleaned


# -- the shared steps -----------------------------------------------------------------------------


def _store(kind: str, pairs: list[tuple[str, str]], reason: str, actor: Actor,
           case_id: str | None) -> Flow[list[PairDecision]]:
    rows = yield Step("identity/steward_record_decisions", {
        "pairs": _pairs(pairs), "kind": kind, "reason": reason, "actor": actor.subject, "caseId": case_id})
    return [PairDecision(r["id"], kind, r["a"], r["b"], r.get("previous")) for r in rows]


def _fold(keys: list[str], outcome: Outcome) -> Flow[None]:
    rows = yield Step("identity/steward_fold_persons", {"keys": keys, "runId": f"steward:{outcome.audit_id}"})
    for row in rows:
        outcome.one_ids.append(row["oneId"])
        outcome.merged_one_ids.extend(row["mergedOneIds"])
        outcome.moved_keys.extend(row["moved"])
        if row["mergedOneIds"] or row["moved"]:
            found = yield Step("identity/steward_person_id_documents", {"oneId": row["oneId"]})
            masked = sorted(found[0]["masked"]) if found else []
            if len(masked) > 1:
                outcome.note = (f"{row['oneId']} now carries different ID documents ({', '.join(masked)}): the next "
                                "identity run keeps the decided records together and may part the others")


def _refuse_broken_cannot_links(refs: list[dict[str, Any]], deciding: list[tuple[str, str]],
                                 *, field: str) -> Flow[None]:
    """Folding these records' persons together must not put a standing cannot_link pair into one person;
    the pairs being decided now are replaced, so they do not count. `refs` are steward_refs rows."""
    persons: dict[str, list[str]] = {}
    for ref in refs:
        persons.setdefault(ref["oneId"] or ref["key"], ref["personKeys"])
    replaced = {frozenset(pair) for pair in deciding}
    groups = list(persons.values())
    for i, left in enumerate(groups):
        for right in groups[i + 1:]:
            rows = yield Step("identity/steward_cannot_links", {"left": left, "right": right})
            for c in rows:
                if frozenset((c["a"], c["b"])) not in replaced:
                    raise StewardError(f"records {c['a']} and {c['b']} are kept apart by decision {c['id']}; "
                                       "decide that pair first", field=field)


def _refuse_different_id_documents(a: dict[str, Any], b: dict[str, Any], *, field: str) -> None:
    """Two records with different trusted ID documents are two people to the identity run, whatever a
    must_link says (it would open a conflict case and keep them apart): refuse now, naming the masked ids."""
    ids_a, ids_b = {i["hash"] for i in a["ids"]}, {i["hash"] for i in b["ids"]}
    if ids_a and ids_b and not (ids_a <= ids_b or ids_b <= ids_a):
        shown = [", ".join(sorted(i["masked"] or "?" for i in r["ids"])) for r in (a, b)]
        raise StewardError(f"records {a['key']} and {b['key']} carry different ID documents ({shown[0]} vs "
                           f"{shown[1]}); the identity run would keep them apart", field=field)


def _fresh_one_ids(groups: list[list[str]]) -> Flow[list[str]]:
    """New persons are named as the engine names them ('P' + hash of the smallest record key), skipping ids
    in use, so a later run keeps them."""
    tries = [[new_one_id(min(g), attempt) for attempt in range(4)] for g in groups]
    rows = yield Step("identity/persons_exist", {"ids": [one_id for t in tries for one_id in t]})
    taken = set(rows[0]["taken"]) if rows else set()
    out: list[str] = []
    for t in tries:
        free = next((one_id for one_id in t if one_id not in taken), None) or f"P{uuid.uuid4().hex[:16].upper()}"
        taken.add(free)
        out.append(free)
    return out


def _close_pair_cases(outcome: Outcome, decision: str, actor: Actor, reason: str) -> Flow[None]:
    """Open cases about exactly a pair just decided are answered by this decision."""
    closed = yield Step("identity/steward_close_pair_cases", {
        "pairs": [{"a": d.key_a, "b": d.key_b} for d in outcome.decisions], "decision": decision,
        "actor": actor.subject, "reason": reason})
    outcome.case_ids.extend(r["caseId"] for r in closed)


def _audit(outcome: Outcome, actor: Actor, target: str, reason: str) -> Flow[None]:
    detail = {
        "decisions": [{"id": d.id, "kind": d.kind, "a": d.key_a, "b": d.key_b, "previous": d.previous}
                      for d in outcome.decisions],
        "cases": outcome.case_ids, "oneIds": outcome.one_ids, "mergedOneIds": outcome.merged_one_ids,
        "moved": outcome.moved_keys, "note": outcome.note,
    }
    entry = {"id": outcome.audit_id, "actor": actor.subject, "role": actor.role, "action": outcome.action,
             "target": target, "field": None, "reason": reason, "requestId": actor.request_id,
             "detail": json.dumps(detail, ensure_ascii=False)}
    yield Step("audit/record", {"entry": entry})


# -- decisions --------------------------------------------------------------------------------------


def decide_case(case_id: str, decision: str, reason: str, actor: Actor) -> Flow[Outcome]:
    """accept a pair case: its records are one person (must_link, persons folded now); reject: they are two
    (cannot_link; for cases about two records, a larger one is a split). A conflict case is records the
    engine keeps apart whatever a must_link says (different ID documents, a cannot_link on the way):
    accepting it could not hold, so only reject (or a split, or deciding the pair in the way) answers it."""
    if decision not in ("accept", "reject"):
        raise StewardError("must be accept or reject", field="decision")
    why = check_reason(reason)
    rows = yield Step("identity/steward_case", {"caseId": case_id})
    if not rows:
        raise StewardNotFound(f"no review case {case_id!r}", field="caseId")
    case, keys = rows[0]["case"], rows[0]["keys"]
    if case["status"] != "open":
        raise StewardConflict(f"case {case_id!r} was decided already by {case.get('decidedBy') or 'someone'} "
                              f"({case.get('decision')}, {case.get('decidedAt')})", field="caseId")
    if len(keys) < 2:
        raise StewardError(f"case {case_id!r} concerns {len(keys)} record(s); nothing to decide", field="caseId")
    if decision == "accept" and case["kind"] == "conflict":
        raise StewardError(
            f"case {case_id!r} is a conflict the identity run keeps apart ({case.get('reason')}); accepting cannot "
            "make it hold: reject it, split the customer, or first decide the pair that keeps them apart",
            field="decision")
    if decision == "reject" and len(keys) > 2:
        raise StewardError(
            f"case {case_id!r} concerns {len(keys)} records: say which belong together with a split instead",
            field="decision")
    refs = yield Step("identity/steward_refs", {"refs": keys})
    pairs = list(pairwise(keys))
    if decision == "accept":
        by_key = {r["key"]: r for r in refs}
        for x, y in pairs:
            _refuse_different_id_documents(by_key[x], by_key[y], field="decision")
        yield from _refuse_broken_cannot_links(refs, pairs, field="caseId")
    outcome = Outcome(action=f"match_{decision}", audit_id=uuid.uuid4().hex)
    kind = "must_link" if decision == "accept" else "cannot_link"
    outcome.decisions = yield from _store(kind, pairs, why, actor, case_id)
    if decision == "accept":
        yield from _fold(keys, outcome)
    elif len({r["oneId"] for r in refs}) == 1 and refs[0]["oneId"]:
        outcome.note = (f"{keys[0]} and {keys[1]} stay in {refs[0]['oneId']} until the next identity run "
                        "places them apart (or split it now)")
    closed = yield Step("identity/steward_close_case",
                        {"caseId": case_id, "decision": decision, "actor": actor.subject, "reason": why})
    if not closed:
        raise StewardError(f"case {case_id!r} was decided meanwhile", field="caseId")
    outcome.case_ids.append(case_id)
    yield from _audit(outcome, actor, case_id, why)
    return outcome


def merge(ref_a: str, ref_b: str, reason: str, actor: Actor) -> Flow[Outcome]:
    """Two records (or two persons, by One ID) are one person: must_link, and the smaller person's
    records move to the larger one now. Refused where a standing cannot_link would be broken."""
    why = check_reason(reason)
    rows = yield Step("identity/steward_refs", {"refs": [ref_a, ref_b]})
    found = {r["ref"]: r for r in rows if r["key"]}
    for ref, name in ((ref_a, "recordKeyA"), (ref_b, "recordKeyB")):
        if ref not in found:
            raise StewardNotFound(f"no customer record or One ID {ref!r}", field=name)
    a, b = found[ref_a], found[ref_b]
    if a["key"] == b["key"]:
        raise StewardError("a record cannot be merged with itself", field="recordKeyB")
    _refuse_different_id_documents(a, b, field="recordKeyB")
    yield from _refuse_broken_cannot_links([a, b], [(a["key"], b["key"])], field="recordKeyB")
    outcome = Outcome(action="match_merge", audit_id=uuid.uuid4().hex)
    outcome.decisions = yield from _store("must_link", [(a["key"], b["key"])], why, actor, None)
    yield from _fold([a["key"], b["key"]], outcome)
    yield from _close_pair_cases(outcome, "merge", actor, why)
    yield from _audit(outcome, actor, f"{a['key']} + {b['key']}", why)
    return outcome


def split(one_id: str, groups: list[list[str]], reason: str, actor: Actor) -> Flow[Outcome]:
    """A person is several: cannot_link between the groups' records; the first group keeps the One ID,
    each other group becomes a new Person now."""
    why = check_reason(reason)
    rows = yield Step("identity/steward_person", {"oneId": one_id})
    if not rows:
        raise StewardNotFound(f"no customer {one_id!r}", field="oneId")
    cleaned = split_groups(rows[0]["keys"], groups)
    outcome = Outcome(action="match_split", audit_id=uuid.uuid4().hex)
    pairs = [(x, y) for i, g in enumerate(cleaned) for h in cleaned[i + 1:] for x in g for y in h]
    outcome.decisions = yield from _store("cannot_link", pairs, why, actor, None)
    fresh = yield from _fresh_one_ids(cleaned[1:])
    leaving = [{"oneId": new, "keys": g} for new, g in zip(fresh, cleaned[1:], strict=True)]
    yield Step("identity/steward_split_person", {"oneId": one_id, "groups": leaving,
                                                 "runId": f"steward:{outcome.audit_id}"})
    outcome.one_ids = [one_id, *(g["oneId"] for g in leaving)]
    outcome.moved_keys = [k for g in cleaned[1:] for k in g]
    yield from _close_pair_cases(outcome, "split", actor, why)
    yield from _audit(outcome, actor, one_id, why)
    return outcome


# -- running a flow -------------------------------------------------------------------------------


def _drive(tx: ManagedTransaction, flow: Flow[T]) -> T:
    try:
        step = next(flow)
        while True:
            rows = tx.run(cast(LiteralString, cypher(step.query)), step.params).data()
            step = flow.send(rows)
    except StopIteration as done:
        return cast(T, done.value)


async def _drive_async(tx: AsyncManagedTransaction, flow: Flow[T]) -> T:
    try:
        step = next(flow)
        while True:
            result = await tx.run(cast(LiteralString, cypher(step.query)), step.params)
            step = flow.send(await result.data())
    except StopIteration as done:
        return cast(T, done.value)


def run(db: Database, make_flow: Callable[[], Flow[T]]) -> T:
    """One managed transaction (retried whole on a transient error, hence a factory, not a flow)."""
    with db.driver.session(database=db.target.database) as session:
        return session.execute_write(lambda tx: _drive(tx, make_flow()))


async def run_async(driver: AsyncDriver, database: str, make_flow: Callable[[], Flow[T]]) -> T:
    async with driver.session(database=database) as session:
        return await session.execute_write(lambda tx: _drive_async(tx, make_flow()))
