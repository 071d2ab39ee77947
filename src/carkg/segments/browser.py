"""Parameters as Neo4j Browser `:param` lines, so an analyst can paste a compiled segment and run it."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any


def literal(value: Any) -> str:
    """A Cypher literal for a parameter value (strings JSON-quoted, which Cypher reads the same way)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, datetime):
        return f"datetime('{value.isoformat()}')"
    if isinstance(value, date):
        return f"date('{value.isoformat()}')"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"`{k}`: {literal(v)}" for k, v in value.items()) + "}"
    return json.dumps(str(value), ensure_ascii=False)


def param_lines(params: dict[str, Any]) -> list[str]:
    return [f":param {name} => {literal(value)}" for name, value in params.items()]
