"""Structured logs (structlog) with a request id on every line of a request."""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any

import structlog
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = "x-request-id"


def configure_logging(level: str, json_lines: bool) -> None:
    renderer: Any = structlog.processors.JSONRenderer() if json_lines else structlog.dev.ConsoleRenderer()
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        cache_logger_on_first_use=True,
    )
    # HTTP clients log every request at INFO: the Meilisearch polling would drown the app's own lines.
    for chatty in ("httpx", "httpx2", "httpcore"):
        logging.getLogger(chatty).setLevel(logging.WARNING)


def request_id_middleware(app: ASGIApp) -> ASGIApp:
    """Takes the caller's X-Request-ID (or makes one), binds it to the logs and echoes it back."""
    logger = structlog.get_logger("infrashare.http")

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        request_id = _incoming_id(scope) or uuid.uuid4().hex
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started, status = time.perf_counter(), 0

        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await app(scope, receive, send_with_id)
        finally:
            logger.info(
                "request",
                method=scope.get("method"),
                path=scope["path"],
                status=status,
                ms=round((time.perf_counter() - started) * 1000, 1),
            )
            structlog.contextvars.clear_contextvars()

    return middleware


async def add_request_id_header(message: Message, scope: Scope) -> None:
    """App-level ``before_send``: every response carries the id, the router's own 404/405 too."""
    if message["type"] != "http.response.start":
        return
    request_id = scope.get("state", {}).get("request_id") or _incoming_id(scope) or uuid.uuid4().hex
    message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode())]


def _incoming_id(scope: Scope) -> str:
    headers = dict(scope.get("headers", []))
    return str(headers.get(REQUEST_ID_HEADER.encode(), b"").decode()[:64])
