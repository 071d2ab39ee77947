"""The one exception every identifier check raises."""

from __future__ import annotations


class IdentifierError(ValueError):
    """A value that is not a valid identifier; the message says why, in words a data steward can act on.

    A ValueError so that pydantic field validators turn it into an ordinary validation error.
    """
