"""Reads reuse a fresh session lookup; writes, sign-outs and expiry are never served from it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import event, update

from infrashare.accounts.models import WebSession
from infrashare.app import create_app
from infrashare.core import authentication
from infrashare.core.clock import utc_now
from infrashare.core.db import open_database
from infrashare.core.settings import Settings
from tests.sessions import Client, sign_in

ENGINEER = "engineer@tower.example"


@contextmanager
def session_lookups(app: Litestar) -> Iterator[list[str]]:
    """The statements that read the web_sessions table, as the app sends them."""
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if "FROM web_sessions" in statement and statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    engines = [engine.sync_engine for engine in app.state.db.engines]
    for engine in engines:
        event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", record)


async def test_reads_reuse_a_lookup_and_a_write_asks_the_database_again(
    client: Client, app: Litestar
) -> None:
    await sign_in(client, ENGINEER)
    with session_lookups(app) as lookups:
        for _ in range(3):
            assert (await client.get("/api/v1/me")).status_code == 200
        assert len(lookups) == 1
        # A write looks the session up itself, and no read reuses what was known before it.
        stolen_cookie = client.cookies.get("infrashare_session") or ""
        assert (await client.post("/api/v1/auth/logout")).status_code == 204
        assert len(lookups) == 2
        client.cookies.set("infrashare_session", stolen_cookie)
        assert (await client.get("/api/v1/me")).status_code == 401


async def test_a_deactivated_user_is_refused_at_once_though_just_seen(client: Client, app: Litestar) -> None:
    admin = await sign_in(client, "admin@tower.example")
    async with AsyncTestClient(app, base_url="http://127.0.0.1") as engineer:
        user_id = (await sign_in(engineer, ENGINEER))["user"]["id"]
        assert (await engineer.get("/api/v1/me")).status_code == 200
        organisation_id = admin["organisation"]["id"]
        deactivated = await client.post(f"/api/v1/organisations/{organisation_id}/users/{user_id}/deactivate")
        assert deactivated.status_code == 200
        assert (await engineer.get("/api/v1/me")).status_code == 401


async def test_a_session_ended_by_another_process_is_refused_within_the_cache_seconds(
    settings: Settings,
) -> None:
    app = create_app(settings.model_copy(update={"principal_cache_seconds": 0.3}))
    async with AsyncTestClient(app, base_url="http://127.0.0.1") as client:
        await sign_in(client, ENGINEER)
        assert (await client.get("/api/v1/me")).status_code == 200
        other_process = open_database(settings.database_url)
        try:
            async with other_process.writer() as writing:
                await writing.execute(update(WebSession).values(expires_at=utc_now() - timedelta(seconds=1)))
                await writing.commit()
        finally:
            await other_process.dispose()
        await asyncio.sleep(0.35)
        assert (await client.get("/api/v1/me")).status_code == 401


async def test_a_remembered_session_is_not_reused_past_its_expiry(
    client: Client, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    await sign_in(client, ENGINEER)
    assert (await client.get("/api/v1/me")).status_code == 200
    later = utc_now() + timedelta(days=settings.session_days, minutes=1)
    monkeypatch.setattr(authentication, "utc_now", lambda: later)
    assert (await client.get("/api/v1/me")).status_code == 401


async def test_nothing_is_remembered_when_the_cache_is_off(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"principal_cache_seconds": 0}))
    async with AsyncTestClient(app, base_url="http://127.0.0.1") as client:
        await sign_in(client, ENGINEER)
        with session_lookups(app) as lookups:
            for _ in range(2):
                assert (await client.get("/api/v1/me")).status_code == 200
            assert len(lookups) == 2
