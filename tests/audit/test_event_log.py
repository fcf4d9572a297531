"""The event log is hash-chained, append-only, and `infrashare audit verify` catches tampering."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import create_engine

from infrashare.core.db import sync_url
from tests.sessions import Client, sign_in


def audit_verify(database_url: str) -> subprocess.CompletedProcess[str]:
    command = [str(Path(sys.executable).with_name("infrashare")), "audit", "verify"]
    env = {**os.environ, "INFRASHARE_DATABASE_URL": database_url}
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)


def run_sql(database_url: str, *statements: str) -> None:
    engine = create_engine(sync_url(database_url))
    with engine.begin() as connection:
        for statement in statements:
            connection.exec_driver_sql(statement)
    engine.dispose()


async def test_writes_are_recorded_with_actor_and_before_after(client: Client) -> None:
    me = await sign_in(client, "admin@tower.example")
    user = {
        "email": "wang.fang@tower.example",
        "display_name": "王芳",
        "password": "a-long-password-1",
        "role": "operator_member",
    }
    created = (await client.post(f"/api/v1/organisations/{me['organisation']['id']}/users", json=user)).json()
    await client.post(f"/api/v1/organisations/{me['organisation']['id']}/users/{created['id']}/deactivate")

    await sign_in(client, "admin@platform.example")
    events = (
        await client.get("/api/v1/audit/events", params={"object_type": "user", "object_id": created["id"]})
    ).json()
    assert [event["action"] for event in events] == ["user.created", "user.deactivated"]
    assert events[0]["actor_user_id"] == me["user"]["id"]
    assert events[0]["actor_organisation_id"] == me["organisation"]["id"]
    assert events[0]["after"]["email"] == "wang.fang@tower.example"
    assert "password" not in events[0]["after"]
    assert events[1]["before"] == {"is_active": True} and events[1]["after"] == {"is_active": False}


async def test_only_platform_admins_read_the_raw_log(client: Client) -> None:
    await sign_in(client, "admin@tower.example")
    assert (await client.get("/api/v1/audit/verify")).status_code == 403


async def test_concurrent_writes_keep_one_unbroken_chain(client: Client, app: Litestar) -> None:
    me = await sign_in(client, "admin@tower.example")
    url = f"/api/v1/organisations/{me['organisation']['id']}/users"

    async def create(index: int) -> int:
        body = {
            "email": f"crew{index}@tower.example",
            "display_name": f"Crew {index}",
            "password": "a-long-password-1",
            "role": "operator_member",
        }
        return (await client.post(url, json=body)).status_code

    statuses = await asyncio.gather(*(create(index) for index in range(12)))
    assert statuses == [201] * 12
    async with AsyncTestClient(app, base_url="http://127.0.0.1") as admin:
        await sign_in(admin, "admin@platform.example")
        report = (await admin.get("/api/v1/audit/verify")).json()
    assert report["ok"] is True, report
    assert report["checked"] > 12


def test_event_rows_cannot_be_updated_or_deleted(database_url: str) -> None:
    with pytest.raises(Exception, match="append-only"):
        run_sql(database_url, "UPDATE events SET reason = 'rewritten' WHERE seq = 1")
    with pytest.raises(Exception, match="append-only"):
        run_sql(database_url, "DELETE FROM events WHERE seq = 1")


def test_audit_verify_passes_then_catches_an_edited_row(database_url: str, backend: str) -> None:
    intact = audit_verify(database_url)
    assert intact.returncode == 0, intact.stderr
    assert "chain intact" in intact.stdout

    # Someone with database access switches the guard off and edits one row.
    if backend == "postgresql":
        disable = "ALTER TABLE events DISABLE TRIGGER events_append_only"
    else:
        disable = "DROP TRIGGER events_no_update"
    run_sql(database_url, disable, "UPDATE events SET after = NULL WHERE seq = 3")

    broken = audit_verify(database_url)
    assert broken.returncode == 1
    assert "BROKEN at event 3" in broken.stderr


def test_audit_verify_catches_a_removed_row(database_url: str, backend: str) -> None:
    disable = (
        "ALTER TABLE events DISABLE TRIGGER events_append_only"
        if backend == "postgresql"
        else "DROP TRIGGER events_no_delete"
    )
    run_sql(database_url, disable, "DELETE FROM events WHERE seq = 5")
    broken = audit_verify(database_url)
    assert broken.returncode == 1
    assert "event 5 is missing" in broken.stderr
