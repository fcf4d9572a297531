"""Liveness and readiness probes for load balancers and compose."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get
from litestar.status_codes import HTTP_200_OK, HTTP_503_SERVICE_UNAVAILABLE
from sqlalchemy import text

from infrashare.core.db import Database


@get("/health", tags=["system"], summary="Liveness: the process answers", include_in_schema=True)
async def health() -> dict[str, str]:
    return {"status": "ok"}


async def _database_ready(db: Database) -> str:
    try:
        async with db.reader() as session:
            await session.execute(text("SELECT 1"))
    except Exception as exc:  # any failure means not ready
        return f"down: {type(exc).__name__}"
    return "ok"


async def _search_ready(request: Request[Any, Any, Any]) -> str:
    client = request.app.state.search
    if client is None:
        return "not configured"
    try:
        await client.health()
    except Exception as exc:  # any failure means not ready
        return f"down: {type(exc).__name__}"
    return "ok"


@get("/ready", tags=["system"], summary="Readiness: database and Meilisearch reachable")
async def ready(request: Request[Any, Any, Any]) -> Response[dict[str, str]]:
    checks = {"database": await _database_ready(request.app.state.db), "search": await _search_ready(request)}
    ok = all(value == "ok" for value in checks.values())
    return Response(
        {"status": "ok" if ok else "unavailable", **checks},
        status_code=HTTP_200_OK if ok else HTTP_503_SERVICE_UNAVAILABLE,
    )
