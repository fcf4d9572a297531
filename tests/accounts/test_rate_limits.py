"""Quotas per user and per OAuth client: past the limit a 429 problem with Retry-After."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient

from infrashare.app import create_app
from infrashare.core.settings import Settings
from tests.sessions import sign_in


async def test_a_user_past_the_quota_gets_429_and_others_do_not(settings: Settings) -> None:
    app: Litestar = create_app(settings.model_copy(update={"rate_limit_user_per_minute": 5}))
    async with (
        AsyncTestClient(app, base_url="http://127.0.0.1") as busy,
        AsyncTestClient(app, base_url="http://127.0.0.1") as calm,
    ):
        await sign_in(busy, "engineer@tower.example")
        await sign_in(calm, "engineer@mobile.example")
        statuses = [(await busy.get("/api/v1/me")).status_code for _ in range(7)]
        assert statuses[:5] == [200] * 5 and statuses[5:] == [429, 429]
        limited = await busy.get("/api/v1/me")
        assert limited.json()["type"] == "/problems/rate-limited"
        assert 0 < int(limited.headers["retry-after"]) <= 60
        assert (await calm.get("/api/v1/me")).status_code == 200


async def test_machine_clients_have_their_own_quota(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"rate_limit_client_per_minute": 3}))
    async with AsyncTestClient(app, base_url="http://127.0.0.1:8000") as client:
        await sign_in(client, "admin@tower.example")
        machine = (
            await client.post("/api/v1/oauth/clients", json={"name": "sync", "scopes": ["needs:read"]})
        ).json()
        token = (
            await client.post(
                "/oauth/token",
                data={"grant_type": "client_credentials"},
                auth=(machine["client_id"], machine["client_secret"]),
            )
        ).json()["access_token"]
        client.cookies.clear()
        bearer = {"Authorization": f"Bearer {token}"}
        statuses = [(await client.get("/api/v1/me", headers=bearer)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
