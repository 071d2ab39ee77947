"""One ID: resolve source records (CustomerRecord) to persons (Person.oneId), explainably."""

from carkg.identity.resolve import ResolveReport, resolve

__all__ = ["ResolveReport", "resolve"]
