"""Checks a definition against the graph: tag codes in the library (and visible to the caller), saved
segments that exist. Cycles between saved segments are caught while compiling (the compiler expands
references and knows the chain it is in)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, Protocol

from carkg.graph.cypher import cypher
from carkg.segments import model as m
from carkg.segments.errors import SegmentError

ALL_TAGS_VIEWER = {"admin": True, "advisorId": None, "dealerId": None}


class Runner(Protocol):
    """What the segment code needs from a database: `carkg.graph.Database` is one."""

    def query(self, text: str, params: dict[str, Any] | None = None, *, write: bool = True) -> list[dict[str, Any]]:
        ...


def walk(condition: m.Condition, path: str = "") -> Iterator[tuple[str, m.Condition]]:
    """Every condition with its printable path, depth first."""
    yield m.shown(path, condition), condition
    for child_path, child in m.children(condition, path):
        yield from walk(child, child_path)


def check_tags(db: Runner, definition: m.Condition, viewer: dict[str, object] | None = None) -> None:
    uses = [(path, c.code) for path, c in walk(definition) if isinstance(c, m.TagCondition)]
    if not uses:
        return
    codes = sorted({code for _, code in uses})
    rows = db.query(cypher("segments/tag_codes"), {"codes": codes, "viewer": viewer or ALL_TAGS_VIEWER}, write=False)
    known = {row["code"] for row in rows}
    for path, code in uses:
        if code not in known:
            raise SegmentError(path, f"unknown tag code '{code}'")


class SavedLookup:
    """Saved definitions by (id, version), read once per compile; unknown ids name the referring path."""

    def __init__(self, db: Runner, viewer: dict[str, object] | None = None) -> None:
        self.db = db
        self.viewer = viewer
        self.cache: dict[tuple[str, int | None], m.Condition] = {}

    def __call__(self, segment_id: str, version: int | None) -> m.Condition:
        key = (segment_id, version)
        if key not in self.cache:
            rows = self.db.query(cypher("segments/definition"), {"id": segment_id, "version": version}, write=False)
            if not rows:
                what = f"segment '{segment_id}'" + (f" version {version}" if version else "")
                raise KeyError(f"unknown {what}")
            definition = m.parse(json.loads(rows[0]["definition"]))
            check_tags(self.db, definition, self.viewer)
            self.cache[key] = definition
        return self.cache[key]


def check_references(definition: m.Condition, lookup: SavedLookup) -> None:
    """Every referenced saved segment exists (the compiler then expands them and detects cycles)."""
    for path, c in walk(definition):
        if isinstance(c, m.SegmentCondition):
            try:
                lookup(c.id, c.version)
            except KeyError as exc:
                raise SegmentError(path, str(exc.args[0])) from None
            except SegmentError as exc:
                raise SegmentError(path, f"segment '{c.id}': {exc}") from None
