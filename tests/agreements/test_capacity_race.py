"""Never over-booked: 200 concurrent accepts for the last 5 units against a live `infrashare serve`.

Real HTTP requests, all in flight at once (``asyncio.gather``), on SQLite and on PostgreSQL:
exactly 5 succeed, the other 195 get a 409 ``insufficient-capacity`` problem, and the asset
ends with 0 free units, status ``full``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from infrashare.core.search import MeilisearchProcess
from infrashare.demo.seed import DEMO_PASSWORD
from tests.agreements.helpers import OWNER, REQUESTER, futian_tower, request_body
from tests.servers import LiveServer

REQUESTS, FREE = 200, 5


@pytest.fixture
def live_server(database_url: str, meilisearch: MeilisearchProcess, tmp_path: Path) -> Iterator[LiveServer]:
    server = LiveServer(env={})
    server.env.update(
        {
            "INFRASHARE_DATABASE_URL": database_url,
            "INFRASHARE_MEILI_URL": meilisearch.url,
            "INFRASHARE_MEILI_MASTER_KEY": meilisearch.master_key,
            "INFRASHARE_VAR_DIR": str(tmp_path / "var"),
            "INFRASHARE_PUBLIC_BASE_URL": server.url,
            "INFRASHARE_LOG_LEVEL": "WARNING",
            "INFRASHARE_RATE_LIMIT_USER_PER_MINUTE": "100000",
        }
    )
    server.start(log=tmp_path / "serve.log")
    yield server
    server.stop()


async def _signed_in(base_url: str, email: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(
        base_url=base_url,
        timeout=httpx.Timeout(180),
        # Idle connections are dropped well before uvicorn's 5 s keep-alive ends them: at equal
        # timeouts a request could go out on a connection the server was closing (ReadError,
        # seen under two parallel make test runs).
        limits=httpx.Limits(max_connections=REQUESTS, max_keepalive_connections=REQUESTS, keepalive_expiry=1),
    )
    response = await client.post("/api/v1/auth/login", json={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 200, response.text
    client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    return client


async def _json(response: httpx.Response, status: int) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def test_200_concurrent_accepts_for_5_free_units(live_server: LiveServer) -> None:
    owner = await _signed_in(live_server.url, OWNER)
    requester = await _signed_in(live_server.url, REQUESTER)
    try:
        body = futian_tower(capacity={"total": 10, "free": FREE, "power_kw": 10, "power_guarantee": False})
        asset = await _json(await owner.post("/api/v1/assets", json=body), 201)
        created = []
        for start in range(0, REQUESTS, 50):  # posted 50 at a time, all pending
            batch = await asyncio.gather(
                *(
                    requester.post("/api/v1/sharing-requests", json=request_body(asset["id"], units=1))
                    for _ in range(start, min(start + 50, REQUESTS))
                )
            )
            created += [await _json(response, 201) for response in batch]
        assert len(created) == REQUESTS and {r["status"] for r in created} == {"requested"}

        answers = await asyncio.gather(
            *(owner.post(f"/api/v1/sharing-requests/{r['id']}/accept") for r in created)
        )

        statuses = [answer.status_code for answer in answers]
        assert statuses.count(200) == FREE, sorted(set(statuses))
        assert statuses.count(409) == REQUESTS - FREE
        for answer in answers:
            if answer.status_code == 200:
                assert answer.json()["status"] == "active" and answer.json()["reserved_units"] == 1
            else:
                problem = answer.json()
                assert answer.headers["content-type"].startswith("application/problem+json")
                assert problem["type"] == "/problems/insufficient-capacity", problem

        after = await _json(await owner.get(f"/api/v1/assets/{asset['id']}"), 200)
        assert after["capacity"]["free"] == 0 and after["status"] == "full"
        listed = await _json(
            await owner.get("/api/v1/sharing-requests", params={"side": "owner", "page_size": 500}), 200
        )
        by_status: dict[str, int] = {}
        for item in listed["items"]:
            by_status[item["status"]] = by_status.get(item["status"], 0) + 1
        assert by_status == {"active": FREE, "requested": REQUESTS - FREE}
        held = sum(item["reserved_units"] for item in listed["items"])
        assert held == FREE
    finally:
        await owner.aclose()
        await requester.aclose()
