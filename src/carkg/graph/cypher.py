"""Named Cypher files from `cypher/`: the code runs exactly the text an analyst pastes into Browser."""

from __future__ import annotations

import re
from functools import cache

from carkg.paths import CYPHER_DIR

_NAME = re.compile(r"^[a-z0-9_]+(/[a-z0-9_]+)*$")
_COMMENT = re.compile(r"^\s*//.*$", re.MULTILINE)


@cache
def cypher(name: str) -> str:
    """The query in `cypher/<name>.cypher`, e.g. `cypher("ingest/dealers")`."""
    if not _NAME.match(name):
        raise ValueError(f"not a Cypher file name: {name!r}")
    path = CYPHER_DIR / f"{name}.cypher"
    if not path.is_file():
        raise FileNotFoundError(f"no Cypher file {path}")
    return path.read_text(encoding="utf-8")


def statements(name: str) -> list[str]:
    """A file of several `;`-terminated statements (like schema.cypher), one string each."""
    body = _COMMENT.sub("", cypher(name))
    return [s.strip() for s in body.split(";") if s.strip()]
