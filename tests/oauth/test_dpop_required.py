"""With INFRASHARE_OAUTH_PUBLIC_CLIENTS_NEED_DPOP, every public client's refresh token is bound."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.oauth.conftest import OAuthServer, register_client, signed_in
from tests.oauth.dpop_proofs import DPoPKey
from tests.oauth.test_authorization_code import REDIRECT, VERIFIER, authorize_params, code_from, consent


@pytest.fixture(scope="module")
def server_env() -> dict[str, str]:
    return {"INFRASHARE_OAUTH_PUBLIC_CLIENTS_NEED_DPOP": "true"}


@pytest.fixture(scope="module")
def person(oauth_server: OAuthServer) -> Iterator[httpx.Client]:
    with signed_in(oauth_server.url, "engineer@tower.example") as client:
        yield client


def _app(server: OAuthServer, kind: str) -> dict[str, str]:
    return register_client(
        server.url,
        "admin@tower.example",
        name=f"{kind} app",
        kind=kind,
        redirect_uris=[REDIRECT],
        scopes=["assets:read"],
    )


def _exchange(server: OAuthServer, app: dict[str, str], code: str, proof: str | None) -> httpx.Response:
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT,
        "code_verifier": VERIFIER,
        "client_id": app["client_id"],
    }
    auth = (app["client_id"], app["client_secret"]) if app["kind"] == "confidential" else None
    headers = {"DPoP": proof} if proof else {}
    return httpx.post(f"{server.url}/oauth/token", data=data, headers=headers, auth=auth, timeout=15)


def test_a_public_client_must_send_a_proof(oauth_server: OAuthServer, person: httpx.Client) -> None:
    app = _app(oauth_server, "public")
    code = code_from(consent(person, authorize_params(app)))
    refused = _exchange(oauth_server, app, code, None)
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_dpop_proof"
    # The refusal did not spend the code: the client retries with a proof.
    proof = DPoPKey().proof(f"{oauth_server.url}/oauth/token")
    accepted = _exchange(oauth_server, app, code, proof)
    assert accepted.status_code == 200, accepted.text


def test_confidential_clients_may_go_without(oauth_server: OAuthServer, person: httpx.Client) -> None:
    app = _app(oauth_server, "confidential")
    code = code_from(consent(person, authorize_params(app)))
    assert _exchange(oauth_server, app, code, None).status_code == 200
