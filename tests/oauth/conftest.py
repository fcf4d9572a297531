"""A live server for OAuth tests, whose public base URL is its own address (the token issuer)."""

from __future__ import annotations

import re
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from infrashare.core.search import MeilisearchProcess
from infrashare.demo.seed import DEMO_PASSWORD
from tests.servers import LiveServer, database_server


@dataclass(frozen=True)
class OAuthServer:
    server: LiveServer
    database_url: str

    @property
    def url(self) -> str:
        return self.server.url


@pytest.fixture(scope="module")
def server_env() -> dict[str, str]:
    """Extra settings for this module's server (a module overrides it to change them)."""
    return {}


@pytest.fixture(scope="module")
def oauth_server(
    sqlite_template: Path,
    meilisearch: MeilisearchProcess,
    tmp_path_factory: pytest.TempPathFactory,
    server_env: dict[str, str],
) -> Iterator[OAuthServer]:
    directory = tmp_path_factory.mktemp("oauth-server")
    database = directory / "infrashare.db"
    shutil.copyfile(sqlite_template, database)
    database_url = f"sqlite+aiosqlite:///{database}"
    server = LiveServer(env={})
    server.env.update(
        {
            "INFRASHARE_DATABASE_URL": database_url,
            "INFRASHARE_MEILI_URL": meilisearch.url,
            "INFRASHARE_MEILI_MASTER_KEY": meilisearch.master_key,
            # Each module's server has its own database, so its own indexes in the shared Meilisearch.
            "INFRASHARE_MEILI_INDEX_PREFIX": f"o{uuid.uuid4().hex[:10]}_",
            "INFRASHARE_VAR_DIR": str(directory / "var"),
            "INFRASHARE_PUBLIC_BASE_URL": server.url,
            "INFRASHARE_LOG_LEVEL": "WARNING",
            **server_env,
        }
    )
    server.start(log=directory / "serve.log")
    yield OAuthServer(server, database_url)
    server.stop()


@contextmanager
def signed_in(base_url: str, email: str) -> Iterator[httpx.Client]:
    """An httpx client holding a web session (cookie + CSRF header), like a person in a browser."""
    with httpx.Client(base_url=base_url, timeout=15) as client:
        response = client.post("/api/v1/auth/login", json={"email": email, "password": DEMO_PASSWORD})
        assert response.status_code == 200, response.text
        client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
        yield client


def register_client(base_url: str, admin_email: str, **body: object) -> dict[str, str]:
    with signed_in(base_url, admin_email) as admin:
        response = admin.post("/api/v1/oauth/clients", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, str] = response.json()
    return created


def hidden_fields(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html))


@pytest.fixture
def live_oauth(
    database_url: str, meilisearch: MeilisearchProcess, tmp_path: Path, server_env: dict[str, str]
) -> Iterator[OAuthServer]:
    """A live server on this test's database, for tests that must hold on both backends."""
    server = database_server(database_url, meilisearch, tmp_path, server_env).start(
        log=tmp_path / "serve.log"
    )
    yield OAuthServer(server, database_url)
    server.stop()
