"""Relay cursor pagination over ordered Cypher results.

Cursors are opaque to callers; inside they hold the offset of the item. Lists are read with
`SKIP offset LIMIT first + 1`, the extra row telling whether a next page exists.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import TypeVar

from strawberry import relay

from carkg.api.errors import BadUserInput

T = TypeVar("T")
_PREFIX = "offset:"


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{offset}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        if text.startswith(_PREFIX):
            return int(text.removeprefix(_PREFIX))
    except (ValueError, UnicodeDecodeError):
        pass
    raise BadUserInput("not a cursor this API handed out", field="after")


def window(first: int, after: str | None, max_page: int) -> tuple[int, int]:
    """(skip, limit) for the query: limit is one more than the page, to see whether another follows."""
    if not 1 <= first <= max_page:
        raise BadUserInput(f"must be between 1 and {max_page}", field="first")
    skip = decode_cursor(after) + 1 if after else 0
    return skip, first + 1


def connection(
    items: Sequence[T], skip: int, first: int, *, kind: type[relay.Connection[T]] = relay.Connection,
    edge: type[relay.Edge[T]] = relay.Edge,
) -> relay.Connection[T]:
    """`kind` and `edge`: a connection's own types, where the generated `<Node>Edge` name is taken."""
    page = list(items[:first])
    edges = [edge(cursor=encode_cursor(skip + i), node=node) for i, node in enumerate(page)]
    return kind(
        edges=edges,
        page_info=relay.PageInfo(
            has_next_page=len(items) > first, has_previous_page=skip > 0,
            start_cursor=edges[0].cursor if edges else None, end_cursor=edges[-1].cursor if edges else None,
        ),
    )
