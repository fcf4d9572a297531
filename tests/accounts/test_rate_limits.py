"""Quotas per user and per OAuth client: past the limit a 429 problem with Retry-After."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from infrashare.app import create_app
from infrashare.core.search import MeilisearchProcess
from infrashare.core.settings import Settings
from infrashare.demo.seed import DEMO_PASSWORD
from tests.servers import database_server
from tests.sessions import sign_in

QUOTA, REQUESTS, IN_FLIGHT = 20, 64, 16


@pytest.fixture
def two_replicas(database_url: str, meilisearch: MeilisearchProcess, tmp_path: Path) -> Iterator[list[str]]:
    """Two `infrashare serve` processes on one database, as two replicas behind a balancer."""
    servers = [
        database_server(
            database_url, meilisearch, tmp_path / name, {"INFRASHARE_RATE_LIMIT_USER_PER_MINUTE": str(QUOTA)}
        ).start(log=tmp_path / f"serve-{name}.log")
        for name in ("a", "b")
    ]
    yield [server.url for server in servers]
    for server in servers:
        server.stop()


def _burst(urls: list[str], email: str) -> tuple[list[httpx.Response], bool]:
    """REQUESTS reads of /me by one person, IN_FLIGHT at a time, alternating between replicas;
    and whether they all fell in one quota window (one clock minute)."""
    cookie = httpx.post(f"{urls[0]}/api/v1/auth/login", json={"email": email, "password": DEMO_PASSWORD})
    assert cookie.status_code == 200, cookie.text
    clients = [httpx.Client(base_url=url, cookies=cookie.cookies, timeout=60) for url in urls]
    try:
        started = time.time()
        with ThreadPoolExecutor(IN_FLIGHT) as pool:
            responses = list(pool.map(lambda i: clients[i % 2].get("/api/v1/me"), range(REQUESTS)))
        return responses, int(started // 60) == int(time.time() // 60)
    finally:
        for client in clients:
            client.close()


def test_concurrent_requests_on_two_replicas_count_once_against_the_quota(two_replicas: list[str]) -> None:
    for email in ("engineer@tower.example", "admin@tower.example"):  # a second burst if a minute turned
        responses, one_window = _burst(two_replicas, email)
        if one_window:
            break
    assert one_window, "both bursts straddled a minute"
    statuses = sorted(response.status_code for response in responses)
    assert statuses.count(200) == QUOTA and statuses.count(429) == REQUESTS - QUOTA
    limited = next(response for response in responses if response.status_code == 429)
    assert 0 < int(limited.headers["retry-after"]) <= 60


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
