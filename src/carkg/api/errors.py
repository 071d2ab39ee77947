"""One error model for the whole API: every error carries `extensions.code` and a message naming the
field; nothing internal (stack traces, Cypher, driver messages) leaves the process."""

from __future__ import annotations

import re
from enum import StrEnum

import structlog
from neo4j.exceptions import ServiceUnavailable, SessionExpired
from starlette.requests import Request
from starlette.responses import JSONResponse

from graphql import GraphQLError

log = structlog.get_logger("carkg.api")


class ErrorCode(StrEnum):
    BAD_USER_INPUT = "BAD_USER_INPUT"
    NOT_FOUND = "NOT_FOUND"
    CONFLICT = "CONFLICT"
    FORBIDDEN = "FORBIDDEN"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    LIMIT_EXCEEDED = "LIMIT_EXCEEDED"
    UNAVAILABLE = "UNAVAILABLE"
    INTERNAL = "INTERNAL"


class ApiError(GraphQLError):
    """An error meant for the caller. `field` is the argument or field the message is about."""

    code: ErrorCode = ErrorCode.INTERNAL

    def __init__(self, message: str, *, field: str | None = None) -> None:
        text = f"{field}: {message}" if field else message
        extensions: dict[str, object] = {"code": self.code.value}
        if field:
            extensions["field"] = field
        super().__init__(text, extensions=extensions)


class BadUserInput(ApiError):
    code = ErrorCode.BAD_USER_INPUT


class NotFound(ApiError):
    code = ErrorCode.NOT_FOUND


class Conflict(ApiError):
    """The state changed under the caller (someone else decided first): re-read, then decide again."""

    code = ErrorCode.CONFLICT


class Forbidden(ApiError):
    code = ErrorCode.FORBIDDEN


class Unauthenticated(ApiError):
    code = ErrorCode.UNAUTHENTICATED


class LimitExceeded(ApiError):
    code = ErrorCode.LIMIT_EXCEEDED


# Messages of strawberry's / our validation rules that refuse a document for its size, not its content.
_LIMIT_MESSAGES = re.compile(
    r"exceeds maximum operation depth|aliases found\. Allowed|more than \d+ tokens|query complexity",
    re.IGNORECASE,
)


def classify(error: GraphQLError, request_id: str) -> GraphQLError:
    """Give every error a code; replace anything unexpected by an INTERNAL error that names the request."""
    if isinstance(error.extensions, dict) and error.extensions.get("code") in ErrorCode.__members__:
        return error
    original = error.original_error
    if error.path is None or original is None or isinstance(original, GraphQLError):
        # Parse / validation / variable-coercion errors happen before execution: the caller's document is at fault.
        code = ErrorCode.LIMIT_EXCEEDED if _LIMIT_MESSAGES.search(error.message) else ErrorCode.BAD_USER_INPUT
        return GraphQLError(error.message, nodes=error.nodes, path=error.path, extensions={"code": code.value})
    log.error("unexpected error", request_id=request_id, path=error.path, exc_info=original)
    return GraphQLError(
        f"internal error; quote request id {request_id} to support",
        path=error.path,
        extensions={"code": ErrorCode.INTERNAL.value, "requestId": request_id},
    )


# The database cannot be reached (stopped, restarting, network): callers should come back, not give up.
DATABASE_DOWN: tuple[type[Exception], ...] = (ServiceUnavailable, SessionExpired)
RETRY_AFTER_SECONDS = 5
RETRY_SECONDS = 5.0  # how long the API's writes retry a transient error or a lost connection before giving up


class DatabaseUnavailable(Exception):
    """Raised out of a GraphQL request whose resolvers could not reach the database, so the whole request
    is answered 503 (with Retry-After) instead of a 200 full of INTERNAL errors."""


def database_down(errors: list[GraphQLError] | None) -> bool:
    return any(isinstance(e.original_error, DATABASE_DOWN) for e in errors or [])


def unavailable_response(request: Request, exc: Exception) -> JSONResponse:
    """503 with Retry-After, in the GraphQL error shape, for every route (GraphQL, events, pages)."""
    log.warning("database unavailable", path=request.url.path, error=type(exc).__name__)
    body = {"data": None, "errors": [{
        "message": f"the database is unavailable; retry after {RETRY_AFTER_SECONDS} s",
        "extensions": {"code": ErrorCode.UNAVAILABLE.value}}]}
    return JSONResponse(body, status_code=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
