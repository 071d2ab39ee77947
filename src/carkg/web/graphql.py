"""The pages act through the API's own GraphQL operations (graphql/*.graphql), executed in-process with
the caller's token: the same resolvers, scope rules, audit and errors as any API client."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol

from starlette.requests import Request

from carkg.api.context import Context
from carkg.api.errors import classify
from carkg.api.schema import schema
from carkg.paths import GRAPHQL_DIR
from graphql import GraphQLError


class Operations(Protocol):
    """What the pages need from the GraphQL app: a context for a caller (carkg.api.app.CarkgGraphQL)."""

    async def context_for(self, request: Request, header: str | None) -> Context: ...


@dataclass
class Answer:
    data: dict[str, Any] | None
    errors: list[GraphQLError] = field(default_factory=list)

    def code(self) -> str | None:
        """The first error's code (CONFLICT, BAD_USER_INPUT, …), or None when all went well."""
        return str(self.errors[0].extensions.get("code")) if self.errors and self.errors[0].extensions else None

    def message(self) -> str:
        return "; ".join(e.message for e in self.errors)


@cache
def document(name: str) -> str:
    return (GRAPHQL_DIR / f"{name}.graphql").read_text(encoding="utf-8")


async def execute(operations: Operations, request: Request, token: str, name: str, **variables: Any) -> Answer:
    context = await operations.context_for(request, f"Bearer {token}")
    result = await schema.execute(document(name), variable_values=variables, context_value=context)
    errors = [classify(e, context.request_id) for e in result.errors or []]
    return Answer(result.data, errors)
