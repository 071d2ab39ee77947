"""Load shedding: past a number of requests in flight in one worker, new GraphQL and event requests are answered
503 with Retry-After at once. Under overload a caller learns to come back instead of waiting into a timeout,
and the requests already admitted keep their latency."""

from __future__ import annotations

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from carkg.api.errors import ErrorCode

RETRY_AFTER_SECONDS = 1
SHED_PATHS = ("/graphql", "/events")


class LoadShedding:
    def __init__(self, app: ASGIApp, limit: int, paths: tuple[str, ...] = SHED_PATHS) -> None:
        self.app, self.limit, self.paths = app, limit, paths
        self.in_flight = 0
        self.shed = 0  # requests answered 503 since the worker started

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.paths):
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.limit:
            self.shed += 1
            body = {"data": None, "errors": [{
                "message": f"the API is at capacity ({self.limit} requests in flight); retry after "
                           f"{RETRY_AFTER_SECONDS} s",
                "extensions": {"code": ErrorCode.UNAVAILABLE.value}}]}
            response = JSONResponse(body, status_code=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
            await response(scope, receive, send)
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1
