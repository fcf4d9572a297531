"""Browser protections on every answer: the web UI, the API (errors too), the docs and the
consent page; answers that carry the CSRF token are never stored."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from litestar.testing import AsyncTestClient

from infrashare.app import create_app
from infrashare.core.settings import Settings
from tests.sessions import Client, sign_in


def _assert_protected(headers: httpx.Headers, where: str) -> None:
    policy = headers.get("content-security-policy", "")
    directives = {part.split()[0]: part.split()[1:] for part in policy.split("; ") if part}
    assert directives.get("script-src") == ["'self'"], (where, policy)
    assert directives.get("frame-ancestors") == ["'none'"], (where, policy)
    assert directives.get("object-src") == ["'none'"], (where, policy)
    assert headers.get("x-frame-options") == "DENY", where
    assert headers.get("x-content-type-options") == "nosniff", where
    assert headers.get("referrer-policy") == "no-referrer", where


async def test_every_kind_of_answer_carries_the_protections(settings: Settings, tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "index.html").write_text('<!doctype html><script type="module" src="/assets/app.js"></script>')
    app = create_app(settings.model_copy(update={"frontend_dist": dist}))
    async with AsyncTestClient(app, base_url="http://127.0.0.1") as client:
        for path in ("/", "/assets/missing.js", "/api/v1/me", "/api/v1/nowhere", "/api/docs", "/health"):
            _assert_protected((await client.get(path)).headers, path)
        docs = await client.get("/api/docs")
        assert "<script>" not in docs.text.replace(" ", "") and "<style" not in docs.text
        redirect = await client.get("/api/docs/oauth2-redirect.html")
        assert (
            redirect.status_code == 200
            and "script-src 'sha256-" in redirect.headers["content-security-policy"]
        )
        init = await client.get("/api/docs/swagger-init.js")
        assert init.status_code == 200 and "SwaggerUIBundle" in init.text
        login = await client.post("/api/v1/auth/login", json={"email": "x@y.example", "password": "z"})
        _assert_protected(login.headers, "failed login")


@pytest.mark.parametrize("path", ["/api/v1/me"])
async def test_answers_with_the_csrf_token_are_not_stored(client: Client, path: str) -> None:
    me = await sign_in(client, "admin@tower.example")
    assert me["csrf_token"]
    response = await client.get(path)
    assert response.status_code == 200
    assert "no-store" in response.headers["cache-control"]
    login = await client.post(
        "/api/v1/auth/login", json={"email": "admin@tower.example", "password": "InfraShare-demo-2026"}
    )
    assert "no-store" in login.headers["cache-control"]
