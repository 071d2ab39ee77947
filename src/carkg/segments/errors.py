"""One error type for segment definitions: it names the offending condition by its path."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import ValidationError


class SegmentError(ValueError):
    """A definition that cannot run; `path` is e.g. `and[2].or[0]` (empty for the whole definition)."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.reason = message
        super().__init__(f"{path}: {message}" if path else message)


# Container hops and leaf discriminators add nothing a reader needs: `and[2].or[0].code` is enough.
_IMPLIED = {"conditions", "condition", "tag", "attribute", "event", "distinctChannels", "lead", "vehicle",
            "interest", "repeatBrand", "household", "segment"}


def path_of(loc: Sequence[str | int]) -> str:
    """A pydantic location as a condition path: `('and','conditions',2,'or','conditions',0,'tag')` →
    `and[2].or[0]` (hops implied by the brackets are left out)."""
    out = ""
    for i, part in enumerate(loc):
        if i == 0:  # the root is named by its kind, even a leaf's
            out = str(part)
        elif isinstance(part, int):
            out += f"[{part}]"
        elif part in _IMPLIED:
            continue
        else:
            out += f".{part}" if out else part
    return out


def from_validation(exc: ValidationError) -> SegmentError:
    """The first pydantic error, re-stated with its condition path."""
    first = exc.errors()[0]
    message = first["msg"].removeprefix("Value error, ")
    return SegmentError(path_of(first["loc"]), message)
