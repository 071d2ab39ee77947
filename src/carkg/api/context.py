"""What every resolver gets: the caller, the database, this request's loaders and its id."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from strawberry.types import Info

from carkg.api.errors import Forbidden, Unauthenticated
from carkg.api.graph import Graph
from carkg.api.loaders import Loaders
from carkg.auth import Action, Principal, can
from carkg.settings import ApiSettings


@dataclass
class Context:
    graph: Graph
    settings: ApiSettings
    request_id: str
    principal: Principal | None
    auth_problem: str | None = None  # why a presented credential was refused
    request: Any = None
    connection_params: dict[str, Any] | None = None  # graphql-transport-ws connection_init payload
    _loaders: Loaders | None = field(default=None, repr=False)

    @property
    def loaders(self) -> Loaders:
        if self._loaders is None:
            self._loaders = Loaders(self.graph, self.caller())
        return self._loaders

    def caller(self) -> Principal:
        """The authenticated principal, or UNAUTHENTICATED naming what is missing."""
        if self.principal is None:
            raise Unauthenticated(self.auth_problem or "send 'Authorization: Bearer <token>'")
        return self.principal

    def require(self, action: Action) -> Principal:
        principal = self.caller()
        if not can(principal, action):
            raise Forbidden(f"role {principal.role.value} may not {action.value.replace('_', ' ')}")
        return principal


def ctx(info: Info) -> Context:
    return info.context  # type: ignore[no-any-return]
