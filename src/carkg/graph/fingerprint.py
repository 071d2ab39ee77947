"""A graph's content per label and relationship type — count plus a digest of every property value.

Two loads of the same exports (transactional and bulk) must give equal fingerprints: same nodes by
label, same properties with the same types, same relationships between the same natural keys.
Internal ids are left out, since they differ between loads by design.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from typing import Any, LiteralString, cast

from carkg.graph.cypher import cypher
from carkg.graph.database import Database
from carkg.graph.model import NODE_KEYS


def fingerprint(db: Database) -> dict[str, tuple[int, str]]:
    """`{"(:Label)": (count, sha256), "[:TYPE]": (count, sha256)}` over the whole database."""
    lines: dict[str, list[str]] = defaultdict(list)
    keys = {str(label): key for label, key in NODE_KEYS.items()}
    with db.driver.session(database=db.target.database) as session:
        for rec in session.run(cast(LiteralString, cypher("admin/fingerprint_nodes"))):
            lines[f"(:{':'.join(sorted(rec['labels']))})"].append(_canonical(rec["props"]))
        for rec in session.run(cast(LiteralString, cypher("admin/fingerprint_relationships")), keys=keys):
            ends = [rec["fromLabel"], rec["fromKey"], rec["toLabel"], rec["toKey"]]
            lines[f"[:{rec['type']}]"].append(_canonical({"ends": ends, "props": rec["props"]}))
    return {
        name: (len(items), hashlib.sha256("\n".join(sorted(items)).encode()).hexdigest())
        for name, items in sorted(lines.items())
    }


def _canonical(value: Any) -> str:
    return json.dumps(_typed(value), sort_keys=True, ensure_ascii=False)


def _typed(value: Any) -> Any:
    """Values tagged with their type, so a date and the same day as a string do not compare equal."""
    if isinstance(value, dict):
        return {k: _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    if value is None or isinstance(value, str):
        return value
    return f"{type(value).__name__}:{value!r}"
