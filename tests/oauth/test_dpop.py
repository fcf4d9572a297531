"""DPoP at the token endpoint: a public client's refresh token bound to its key (RFC 9449, RFC 9700)."""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import jwt
import pytest

from tests.oauth.conftest import OAuthServer, register_client, signed_in
from tests.oauth.dpop_proofs import DPoPKey
from tests.oauth.test_authorization_code import REDIRECT, VERIFIER, authorize_params, code_from, consent

PERSON = "engineer@tower.example"


@pytest.fixture(scope="module")
def app(oauth_server: OAuthServer) -> dict[str, str]:
    return register_client(
        oauth_server.url,
        "admin@tower.example",
        name="巡检 App (DPoP)",
        kind="public",
        redirect_uris=[REDIRECT],
        scopes=["assets:read"],
    )


@pytest.fixture(scope="module")
def person(oauth_server: OAuthServer) -> Iterator[httpx.Client]:
    with signed_in(oauth_server.url, PERSON) as client:
        yield client


@pytest.fixture(scope="module")
def key() -> DPoPKey:
    return DPoPKey()


def token_url(server: OAuthServer) -> str:
    return f"{server.url}/oauth/token"


def post_token(server: OAuthServer, data: dict[str, str], proof: str | None = None) -> httpx.Response:
    headers = {"DPoP": proof} if proof else {}
    return httpx.post(token_url(server), data=data, headers=headers, timeout=15)


def exchange(
    server: OAuthServer, app: dict[str, str], person: httpx.Client, proof: str | None
) -> httpx.Response:
    code = code_from(consent(person, authorize_params(app)))
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT,
        "client_id": app["client_id"],
        "code_verifier": VERIFIER,
    }
    return post_token(server, data, proof)


def refresh(
    server: OAuthServer, app: dict[str, str], refresh_token: str, proof: str | None
) -> httpx.Response:
    data = {"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": app["client_id"]}
    return post_token(server, data, proof)


def bound_key_of(server: OAuthServer, refresh_token: str) -> str | None:
    path = Path(server.database_url.split("///", 1)[1])
    with sqlite3.connect(path) as connection:
        row = connection.execute(
            "SELECT dpop_jkt FROM oauth_tokens WHERE refresh_token_hash = ?",
            (hashlib.sha256(refresh_token.encode()).hexdigest(),),
        ).fetchone()
    return row[0] if row else None


def refused(response: httpx.Response, error: str) -> None:
    assert response.status_code == 400, response.text
    assert response.json()["error"] == error, response.text


@pytest.fixture(scope="module")
def bound(
    oauth_server: OAuthServer, app: dict[str, str], person: httpx.Client, key: DPoPKey
) -> dict[str, str]:
    response = exchange(oauth_server, app, person, key.proof(token_url(oauth_server)))
    assert response.status_code == 200, response.text
    token: dict[str, str] = response.json()
    return token


def test_metadata_advertises_dpop(oauth_server: OAuthServer) -> None:
    document = httpx.get(f"{oauth_server.url}/.well-known/oauth-authorization-server").json()
    assert "ES256" in document["dpop_signing_alg_values_supported"]


def test_a_refresh_token_got_with_a_proof_needs_the_same_key(
    oauth_server: OAuthServer, app: dict[str, str], person: httpx.Client, key: DPoPKey
) -> None:
    first = exchange(oauth_server, app, person, key.proof(token_url(oauth_server)))
    assert first.status_code == 200, first.text
    token = first.json()
    assert token["token_type"] == "Bearer"  # the access token stays a bearer token (RFC 9449 §5)
    assert bound_key_of(oauth_server, token["refresh_token"]) == key.thumbprint
    me = httpx.get(
        f"{oauth_server.url}/api/v1/me", headers={"Authorization": f"Bearer {token['access_token']}"}
    )
    assert me.status_code == 200

    # A thief with the refresh token alone gets nothing, and cannot end the family either.
    refused(refresh(oauth_server, app, token["refresh_token"], None), "invalid_dpop_proof")
    thief = DPoPKey()
    refused(
        refresh(oauth_server, app, token["refresh_token"], thief.proof(token_url(oauth_server))),
        "invalid_grant",
    )

    rotated = refresh(oauth_server, app, token["refresh_token"], key.proof(token_url(oauth_server)))
    assert rotated.status_code == 200, rotated.text
    renewed = rotated.json()["refresh_token"]
    assert renewed != token["refresh_token"]
    assert bound_key_of(oauth_server, renewed) == key.thumbprint
    refused(refresh(oauth_server, app, renewed, None), "invalid_dpop_proof")


def test_without_a_proof_the_refresh_token_is_unbound(
    oauth_server: OAuthServer, app: dict[str, str], person: httpx.Client
) -> None:
    token = exchange(oauth_server, app, person, None).json()
    assert bound_key_of(oauth_server, token["refresh_token"]) is None
    assert refresh(oauth_server, app, token["refresh_token"], None).status_code == 200


def test_a_proof_is_good_once(
    oauth_server: OAuthServer, app: dict[str, str], key: DPoPKey, bound: dict[str, str]
) -> None:
    proof = key.proof(token_url(oauth_server))
    first = refresh(oauth_server, app, bound["refresh_token"], proof)
    assert first.status_code == 200, first.text
    refused(refresh(oauth_server, app, first.json()["refresh_token"], proof), "invalid_dpop_proof")
    bound["refresh_token"] = first.json()["refresh_token"]  # still usable with a fresh proof


def _hs256(url: str, key: DPoPKey) -> str:
    claims = {"jti": "symmetric-0001", "htm": "POST", "htu": url, "iat": int(time.time())}
    return jwt.encode(
        claims,
        "a-shared-secret-of-enough-length!",
        algorithm="HS256",
        headers={"typ": "dpop+jwt", "jwk": key.public_jwk},
    )


BAD_PROOFS: dict[str, Callable[[str, DPoPKey], str]] = {
    "another endpoint": lambda url, key: key.proof(url.replace("/token", "/revoke")),
    "another method": lambda url, key: key.proof(url, method="GET"),
    "too old": lambda url, key: key.proof(url, iat=time.time() - 600),
    "from the future": lambda url, key: key.proof(url, iat=time.time() + 600),
    "not a dpop+jwt": lambda url, key: key.proof(url, header={"typ": "JWT"}),
    "private key in the header": lambda url, key: key.proof(
        url, header={"jwk": {**key.public_jwk, "d": "AAAA"}}
    ),
    "signed by another key": lambda url, key: key.proof(url, header={"jwk": DPoPKey().public_jwk}),
    "symmetric algorithm": _hs256,
    "not a JWT": lambda url, key: "not-a-jwt",
}


@pytest.mark.parametrize("case", list(BAD_PROOFS))
def test_bad_proofs_are_refused_and_change_nothing(
    oauth_server: OAuthServer, app: dict[str, str], key: DPoPKey, bound: dict[str, str], case: str
) -> None:
    proof = BAD_PROOFS[case](token_url(oauth_server), key)
    refused(refresh(oauth_server, app, bound["refresh_token"], proof), "invalid_dpop_proof")
    assert bound_key_of(oauth_server, bound["refresh_token"]) == key.thumbprint


def test_after_the_bad_proofs_the_owner_still_refreshes(
    oauth_server: OAuthServer, app: dict[str, str], key: DPoPKey, bound: dict[str, str]
) -> None:
    response = refresh(oauth_server, app, bound["refresh_token"], key.proof(token_url(oauth_server)))
    assert response.status_code == 200, response.text
