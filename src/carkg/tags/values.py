"""Does a value fit its tag's definition? One check per value type, each saying why not."""

from __future__ import annotations

import re
from typing import Any

_RANGE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*-\s*(-?\d+(?:\.\d+)?)\s*$")


def value_problem(tag: dict[str, Any], value: object) -> str | None:
    """None when `value` suits `tag` (its valueType and values), else the reason."""
    kind = tag.get("valueType") or "flag"
    if kind == "flag":
        return None if value is None or isinstance(value, bool) else "a flag tag takes no value (or true/false)"
    if kind == "enum":
        allowed = tag.get("values") or []
        if value in allowed:
            return None
        return f"{value!r} is not one of {', '.join(map(str, allowed))}"
    if kind == "number":
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return None if ok else "a number tag needs a numeric value"
    if kind == "range":
        match = _RANGE.match(value) if isinstance(value, str) else None
        if match and float(match.group(1)) <= float(match.group(2)):
            return None
        return "a range tag needs 'low-high' with low <= high"
    return f"tag has unknown valueType {kind!r}"


def parse_value(tag: dict[str, Any], text: str | None) -> str | float | bool | None:
    """A value that arrived as text (GraphQL, CLI) in the type its tag stores; raises ValueError saying why."""
    kind = tag.get("valueType") or "flag"
    if text is None:
        return None
    if kind == "number":
        try:
            return float(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a number") from None
    if kind == "flag":
        if text.lower() in ("true", "false"):
            return text.lower() == "true"
        raise ValueError("a flag tag takes no value (or true/false)")
    return text
