"""`assign` / `unassign`: the one way tags get onto (and off) nodes and relationships.

Checked first (codes exist, are active, values fit), then written in one transaction per chunk with
one UNWIND per target kind. Per-row results say what happened, including targets that do not exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, LiteralString, cast

from neo4j import ManagedTransaction

from carkg.graph import Database, cypher
from carkg.tags.assignment import Assignment, AssignResult, Removal
from carkg.tags.errors import TagInputError
from carkg.tags.targets import NodeTarget
from carkg.tags.values import value_problem

CHUNK = 5_000


def tag_definitions(db: Database, codes: set[str]) -> dict[str, dict[str, Any]]:
    rows = db.read("tags/tags_by_code", codes=sorted(codes))
    return {r["tag"]["code"]: r["tag"] for r in rows}


def problems_of(a: Assignment, tag: dict[str, Any] | None) -> list[tuple[str, str]]:
    """(field, reason) for each way `a` does not fit its tag definition (None = no such tag)."""
    if tag is None:
        return [("code", f"unknown tag code {a.code!r}")]
    if tag.get("status") == "deprecated":
        return [("code", f"tag {a.code!r} is deprecated")]
    if tag.get("template"):
        return [("code", f"tag {a.code!r} is a template; copy it to a dealer first")]
    if (why := value_problem(tag, a.value)) is not None:
        return [("value", f"{why} (tag {a.code!r})")]
    return []


def check(assignments: Sequence[Assignment], tags: dict[str, dict[str, Any]]) -> None:
    """Raise TagInputError naming every bad row: unknown/deprecated/template codes, values that do not fit."""
    problems = [
        f"row {i}: {field}: {why}" for i, a in enumerate(assignments) for field, why in problems_of(a, tags.get(a.code))
    ]
    if problems:
        raise TagInputError(problems)


def query_row(a: Assignment) -> dict[str, Any]:
    """The `$rows` entry for `tags/assign_nodes` / `tags/assign_relationships` (see `query_for`)."""
    t = a.target
    if isinstance(t, NodeTarget):
        return {"id": a.id, "code": a.code, "label": t.label, "key": t.key, "props": a.properties()}
    return {"id": a.id, "code": a.code, "relType": t.rel_type, "startKey": t.start_key, "endKey": t.end_key,
            "props": a.properties()}


def query_for(a: Assignment) -> str:
    return "tags/assign_nodes" if isinstance(a.target, NodeTarget) else "tags/assign_relationships"


def _write(db: Database, batches: list[tuple[str, list[dict[str, Any]]]]) -> dict[str, str]:
    """Run the named queries in one transaction; id -> action for every row that was written."""

    def work(tx: ManagedTransaction) -> dict[str, str]:
        done: dict[str, str] = {}
        for name, rows in batches:
            if rows:
                for rec in tx.run(cast(LiteralString, cypher(name)), rows=rows):
                    done[rec["id"]] = rec["action"]
        return done

    with db.driver.session(database=db.target.database) as session:
        return session.execute_write(work)


def _last_per_id(items: Sequence[Assignment | Removal]) -> dict[str, int]:
    """Row index of the last row per assignment id: one change per target and code per batch."""
    return {item.id: i for i, item in enumerate(items)}


def assign(db: Database, assignments: Sequence[Assignment]) -> list[AssignResult]:
    """Put tags on nodes/relationships; one result per input row, in input order."""
    assignments = list(assignments)
    check(assignments, tag_definitions(db, {a.code for a in assignments}))
    last = _last_per_id(assignments)
    kept = [i for i in sorted(last.values())]
    done: dict[str, str] = {}
    for start in range(0, len(kept), CHUNK):
        chunk = [assignments[i] for i in kept[start:start + CHUNK]]
        done |= _write(db, [
            ("tags/assign_nodes", [query_row(a) for a in chunk if isinstance(a.target, NodeTarget)]),
            ("tags/assign_relationships", [query_row(a) for a in chunk if not isinstance(a.target, NodeTarget)]),
        ])
    return [
        AssignResult(row=i, id=a.id, code=a.code,
                     status="superseded" if last[a.id] != i else done.get(a.id, "missing_target"))  # type: ignore[arg-type]
        for i, a in enumerate(assignments)
    ]


def unassign(db: Database, removals: Sequence[Removal]) -> list[AssignResult]:
    """Take tags off; `not_assigned` for rows with nothing (still) assigned."""
    removals = list(removals)
    last = _last_per_id(removals)
    rows = [{"id": r.id, "source": r.source, "actor": r.actor, "at": r.at} for r in removals]
    done: dict[str, str] = {}
    kept = sorted(last.values())
    for start in range(0, len(kept), CHUNK):
        done |= _write(db, [("tags/unassign", [rows[i] for i in kept[start:start + CHUNK]])])
    return [
        AssignResult(row=i, id=r.id, code=r.code,
                     status="superseded" if last[r.id] != i else done.get(r.id, "not_assigned"))  # type: ignore[arg-type]
        for i, r in enumerate(removals)
    ]
