"""Sign-in throttles on a live server, seen from two client addresses (127.0.0.1 and 127.0.0.2):
one address's failures never refuse the right password from another."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from infrashare.core.search import MeilisearchProcess
from infrashare.core.settings import Settings
from infrashare.demo.seed import DEMO_PASSWORD
from tests.servers import LiveServer, database_server

PERSON = "admin@tower.example"


@pytest.fixture
def live_server(database_url: str, meilisearch: MeilisearchProcess, tmp_path: Path) -> Iterator[LiveServer]:
    server = database_server(database_url, meilisearch, tmp_path).start(log=tmp_path / "serve.log")
    yield server
    server.stop()


def _from(address: str, server: LiveServer) -> httpx.Client:
    return httpx.Client(base_url=server.url, transport=httpx.HTTPTransport(local_address=address), timeout=30)


def _login(client: httpx.Client, password: str) -> httpx.Response:
    return client.post("/api/v1/auth/login", json={"email": PERSON, "password": password})


def test_an_attackers_failures_do_not_refuse_the_person_elsewhere(live_server: LiveServer) -> None:
    failures = Settings().login_max_failures
    with _from("127.0.0.2", live_server) as attacker, _from("127.0.0.1", live_server) as person:
        statuses = [_login(attacker, "guess-guess-guess").status_code for _ in range(failures + 3)]
        assert statuses == [401] * failures + [429] * 3
        refused = _login(attacker, DEMO_PASSWORD)
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
        assert refused.json()["type"] == "/problems/rate-limited"
        welcome = _login(person, DEMO_PASSWORD)
        assert welcome.status_code == 200, welcome.text
        assert welcome.json()["user"]["email"] == PERSON
