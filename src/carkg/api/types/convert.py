"""Neo4j values to Python values the GraphQL scalars accept."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any


def native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


def as_date(value: Any) -> date | None:
    value = native(value)
    return value.date() if isinstance(value, datetime) else value


def as_datetime(value: Any) -> datetime | None:
    return native(value)


def mask_token(value: str | None) -> str | None:
    """Device ids and WeChat unionids are personal identifiers too: show enough to tell them apart."""
    if not value:
        return value
    return value[:4] + "****" + value[-4:] if len(value) > 10 else value[:2] + "****"
