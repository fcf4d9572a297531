"""Webhook subscriptions, signed deliveries to a receiver on 127.0.0.1, retries and the log."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import update

from infrashare.core.db import open_database
from infrashare.core.outbox import OutboxMessage
from infrashare.webhooks.delivery import WebhookSender
from infrashare.webhooks.service import emit
from tests.assets.bodies import asset_body
from tests.sessions import Client, sign_in
from tests.waiting import eventually
from tests.webhooks.receiver import Receiver, receiver, verify


@pytest.fixture
def hooks() -> Iterator[Receiver]:
    with receiver() as state:
        yield state


async def _delivered(
    client: Client, subscription_id: str, status: str = "succeeded"
) -> list[dict[str, object]]:
    async def log() -> list[dict[str, object]]:
        found: list[dict[str, object]] = (
            await client.get(f"/api/v1/webhooks/{subscription_id}/deliveries")
        ).json()["items"]
        return found

    return await eventually(
        log, lambda found: bool(found) and found[0]["status"] == status, f"a {status} delivery"
    )


async def test_ping_is_delivered_signed_and_logged(client: Client, hooks: Receiver) -> None:
    await sign_in(client, "admin@tower.example")
    created = await client.post(
        "/api/v1/webhooks", json={"url": hooks.url, "events": ["need.published", "ping"]}
    )
    assert created.status_code == 201, created.text
    subscription = created.json()
    assert len(subscription["secret"]) == 64
    assert (await client.post(f"/api/v1/webhooks/{subscription['id']}/ping")).status_code == 202

    log = await _delivered(client, subscription["id"])  # the app's own worker sends it
    assert log[0]["event_type"] == "ping" and log[0]["attempts"] == 1 and log[0]["last_status_code"] == 200
    delivery = hooks.received[0]
    assert delivery.headers["x-infrashare-event"] == "ping"
    assert delivery.payload["type"] == "ping" and delivery.payload["id"] == log[0]["id"]
    assert verify(subscription["secret"], delivery.headers["x-infrashare-signature"], delivery.body)
    assert not verify("a-different-secret", delivery.headers["x-infrashare-signature"], delivery.body)
    listed = (await client.get("/api/v1/webhooks")).json()
    assert "secret" not in listed[0]


async def test_failures_are_retried_until_the_receiver_answers(
    app: Litestar, client: Client, hooks: Receiver
) -> None:
    hooks.answers = [500, 503]
    await sign_in(client, "admin@tower.example")
    subscription = (await client.post("/api/v1/webhooks", json={"url": hooks.url, "events": ["ping"]})).json()
    await client.post(f"/api/v1/webhooks/{subscription['id']}/ping")
    database = app.state.db
    for _ in range(3):
        await asyncio.sleep(0.3)
        async with database.writer() as session:  # skip the back-off wait instead of sleeping it
            await session.execute(update(OutboxMessage).values(available_at=OutboxMessage.created_at))
            await session.commit()
    log = await _delivered(client, subscription["id"])
    assert log[0]["attempts"] == 3
    assert len(hooks.received) == 3
    assert (
        len({r.headers["x-infrashare-delivery"] for r in hooks.received}) == 1
    )  # same delivery id each time


async def test_published_need_events_respect_region_and_kind_filters(
    database_url: str, app: Litestar
) -> None:
    with receiver() as nanshan, receiver() as everything:
        async with AsyncTestClient(app, base_url="http://127.0.0.1") as client:
            await sign_in(client, "admin@tower.example")
            await client.post(
                "/api/v1/webhooks",
                json={
                    "url": nanshan.url,
                    "events": ["need.published"],
                    "region_codes": ["440305"],
                    "asset_kinds": ["tower"],
                },
            )
            await client.post("/api/v1/webhooks", json={"url": everything.url, "events": ["need.published"]})
        database = open_database(database_url)
        try:
            async with database.writer() as session:
                assert (
                    await emit(
                        session,
                        "need.published",
                        {"need": "a"},
                        region_code="440304001",
                        asset_kinds=["tower"],
                    )
                    == 1
                )
                assert (
                    await emit(
                        session,
                        "need.published",
                        {"need": "b"},
                        region_code="440305001",
                        asset_kinds=["duct"],
                    )
                    == 1
                )
                assert (
                    await emit(
                        session,
                        "need.published",
                        {"need": "c"},
                        region_code="440305001",
                        asset_kinds=["tower"],
                    )
                    == 2
                )
                await session.commit()
            sender = WebhookSender(database)
            await sender.run_once()
            await sender.http.aclose()
        finally:
            await database.dispose()
        assert [r.payload["data"]["need"] for r in nanshan.wait_for(1)] == ["c"]
        assert sorted(r.payload["data"]["need"] for r in everything.wait_for(3)) == ["a", "b", "c"]


async def test_another_organisation_cannot_see_or_ping_my_webhooks(
    client: Client, app: Litestar, hooks: Receiver
) -> None:
    await sign_in(client, "admin@tower.example")
    subscription = (await client.post("/api/v1/webhooks", json={"url": hooks.url, "events": ["ping"]})).json()
    async with AsyncTestClient(app, base_url="http://127.0.0.1") as rival:
        await sign_in(rival, "admin@mobile.example")
        assert (await rival.get("/api/v1/webhooks")).json() == []
        assert (await rival.post(f"/api/v1/webhooks/{subscription['id']}/ping")).status_code == 404
        assert (await rival.get(f"/api/v1/webhooks/{subscription['id']}/deliveries")).status_code == 404
        assert (await rival.post(f"/api/v1/webhooks/{subscription['id']}/unsubscribe")).status_code == 404


async def test_members_cannot_manage_webhooks_and_urls_must_be_https(client: Client) -> None:
    await sign_in(client, "engineer@tower.example")
    assert (
        await client.post("/api/v1/webhooks", json={"url": "https://erp.example/hook", "events": ["ping"]})
    ).status_code == 403
    await sign_in(client, "admin@tower.example")
    plain = await client.post("/api/v1/webhooks", json={"url": "http://erp.example/hook", "events": ["ping"]})
    assert plain.status_code == 422 and plain.json()["errors"][0]["field"] == "url"
    unknown = await client.post(
        "/api/v1/webhooks", json={"url": "https://erp.example/hook", "events": ["nonsense"]}
    )
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "events"


async def test_a_slow_receiver_does_not_hold_up_writes(client: Client, hooks: Receiver) -> None:
    """The post happens with no transaction open: on SQLite a write goes through meanwhile."""
    hooks.delay_seconds = 4
    await sign_in(client, "admin@tower.example")
    subscription = (await client.post("/api/v1/webhooks", json={"url": hooks.url, "events": ["ping"]})).json()
    assert (await client.post(f"/api/v1/webhooks/{subscription['id']}/ping")).status_code == 202
    await eventually(
        lambda: asyncio.sleep(0, hooks.received), bool, "the ping reaches the receiver", interval=0.05
    )
    written = await client.post("/api/v1/assets", json=asset_body("tower", external_id="SLOW-HOOK-1"))
    assert written.status_code == 201, written.text
    assert hooks.answered == 0  # the write did not wait for the receiver
    log = await _delivered(client, subscription["id"])
    assert log[0]["attempts"] == 1
