"""Bad tag input: one error that names every offending row and field, raised before anything is written."""

from __future__ import annotations


class TagInputError(ValueError):
    """`problems` holds one line per offending row/field; the message joins them."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))
