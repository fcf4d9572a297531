"""The OpenAPI document is the partners' contract: schemathesis, run as a partner would run it,
sends generated requests to every operation and checks each answer against the document
(status documented, body and content type as documented, auth enforced, no 5xx)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from infrashare.core.scopes import SCOPES
from infrashare.core.search import MeilisearchProcess
from tests.oauth.conftest import register_client, signed_in
from tests.servers import LiveServer, seeded_server

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SCHEMATHESIS = Path(sys.executable).with_name("st")
CONFIG = Path(__file__).with_name("schemathesis.toml")
OPERATOR_ADMIN = "admin@tower.example"


@pytest.fixture(scope="module")
def server(
    sqlite_template: Path, meilisearch: MeilisearchProcess, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    directory = tmp_path_factory.mktemp("contract")
    env = {
        # Generated requests come fast: the rate limit is proved elsewhere, not here.
        "INFRASHARE_RATE_LIMIT_USER_PER_MINUTE": "1000000",
        "INFRASHARE_RATE_LIMIT_CLIENT_PER_MINUTE": "1000000",
        "INFRASHARE_MEILI_INDEX_PREFIX": f"st{directory.name[-6:]}_",
    }
    server = seeded_server(sqlite_template, meilisearch, directory, env=env)
    server.start(log=directory / "serve.log")
    yield server
    server.stop()


def _session(url: str) -> dict[str, str]:
    with signed_in(url, OPERATOR_ADMIN) as person:
        return {"session": person.cookies["infrashare_session"], "csrf": person.headers["X-CSRF-Token"]}


def _token(url: str) -> dict[str, str]:
    machine = register_client(url, OPERATOR_ADMIN, name="schemathesis", scopes=list(SCOPES))
    answer = httpx.post(
        f"{url}/oauth/token",
        data={"grant_type": "client_credentials", "scope": " ".join(SCOPES)},
        auth=(machine["client_id"], machine["client_secret"]),
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    return {"bearer": answer.json()["access_token"]}


def _auth_config(credentials: dict[str, str]) -> str:
    sections = []
    for scheme, secret in credentials.items():
        key = "bearer" if scheme == "bearer" else "api_key"
        sections.append(f'[auth.openapi.{scheme}]\n{key} = "{secret}"\n')
    return "\n".join(sections)


def _operation_ids(url: str, path: str, people_only: bool) -> list[str]:
    """The operations on ``path``, and with ``people_only`` those whose security offers the session only."""
    document = httpx.get(f"{url}/api/docs/openapi.json", timeout=30).json()
    return [
        operation["operationId"]
        for operation_path, operations in document["paths"].items()
        for operation in operations.values()
        if isinstance(operation, dict)
        and (
            operation_path == path
            or (
                people_only
                and "security" in operation
                and not any("bearer" in requirement for requirement in operation["security"])
            )
        )
    ]


@pytest.fixture(scope="module")
def credentials(server: LiveServer) -> dict[str, dict[str, str]]:
    """Both modes' credentials, made before either run: a run's generated sign-ins fail until
    this client address is throttled (as it should be), which must not stop the other mode from
    signing in."""
    return {"session": _session(server.url), "token": _token(server.url)}


@pytest.mark.parametrize("mode", ["session", "token"])
def test_every_operation_answers_as_documented(
    server: LiveServer, credentials: dict[str, dict[str, str]], mode: str
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    config = ARTIFACTS / f"schemathesis-{mode}.toml"
    config.write_text(
        CONFIG.read_text(encoding="utf-8") + "\n" + _auth_config(credentials[mode]), encoding="utf-8"
    )
    report = ARTIFACTS / f"schemathesis-{mode}.txt"
    command = [
        str(SCHEMATHESIS),
        "--config-file",
        str(config),
        "run",
        f"{server.url}/api/docs/openapi.json",
        "--checks",
        "all",
    ]
    # Signing out would end the run's own session half-way; a token cannot call people-only operations.
    excluded = _operation_ids(server.url, "/api/v1/auth/logout", people_only=mode == "token")
    command += [argument for name in excluded for argument in ("--exclude-operation-id", name)]
    run = subprocess.run(command, cwd=ARTIFACTS, capture_output=True, text=True, timeout=1500, check=False)
    report.write_text(run.stdout + run.stderr, encoding="utf-8")
    assert run.returncode == 0, f"schemathesis found failures (report: {report}):\n{run.stdout[-6000:]}"
