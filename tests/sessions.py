"""Signing test clients in the way the web UI does: login, then the CSRF header on writes."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from infrashare.demo.seed import DEMO_PASSWORD

Client = AsyncTestClient[Litestar]


async def sign_in(client: Client, email: str, password: str = DEMO_PASSWORD) -> dict[str, Any]:
    """Signs in and sets the CSRF header for later writes; returns /me."""
    response = await client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    me: dict[str, Any] = response.json()
    client.headers["X-CSRF-Token"] = me["csrf_token"]
    return me
