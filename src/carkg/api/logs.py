"""Structured JSON logs: one line per request (and per unexpected error), each with its request id."""

from __future__ import annotations

import logging
import sys
import time
import uuid
from typing import Any

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = structlog.get_logger("carkg.api")


def configure_logging(level: int = logging.INFO) -> None:
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(ensure_ascii=False),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.PrintLoggerFactory(sys.stdout),
        cache_logger_on_first_use=True,
    )


def _request_id(scope: Scope) -> str:
    """The caller's X-Request-ID when it is sane (so ids follow a request across systems), else a new one."""
    for name, value in scope.get("headers", []):
        if name == b"x-request-id" and 8 <= len(value) <= 64 and value.replace(b"-", b"").isalnum():
            return value.decode()
    return uuid.uuid4().hex


class RequestLogMiddleware:
    """Binds a request id for every log line of the request, returns it in `X-Request-ID`, logs the outcome."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        request_id = _request_id(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        status: dict[str, Any] = {"code": None}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            log.info(
                "request", method=scope.get("method", "WS"), path=scope["path"], status=status["code"],
                ms=round((time.perf_counter() - started) * 1000, 1), caller=scope["state"].get("caller"),
            )
            structlog.contextvars.clear_contextvars()
