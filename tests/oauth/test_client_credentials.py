"""Machine clients: client credentials, JWT access tokens checked with the JWKS, revocation, scopes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import jwt
import pytest
from authlib.integrations.httpx_client import OAuth2Client

from tests.oauth.conftest import OAuthServer, register_client, signed_in

SCOPES = ["assets:read", "needs:read"]


@pytest.fixture(scope="module")
def machine(oauth_server: OAuthServer) -> dict[str, str]:
    return register_client(oauth_server.url, "admin@tower.example", name="铁塔 GIS 同步", scopes=SCOPES)


def fetch_token(server: OAuthServer, machine: dict[str, str], **extra: str) -> dict[str, str]:
    with OAuth2Client(machine["client_id"], machine["client_secret"], timeout=15) as client:
        token: dict[str, str] = client.fetch_token(
            f"{server.url}/oauth/token", grant_type="client_credentials", **extra
        )
    return token


def test_metadata_describes_the_server(oauth_server: OAuthServer) -> None:
    document = httpx.get(f"{oauth_server.url}/.well-known/oauth-authorization-server").json()
    assert document["issuer"] == oauth_server.url
    assert document["token_endpoint"] == f"{oauth_server.url}/oauth/token"
    assert document["code_challenge_methods_supported"] == ["S256"]
    assert "implicit" not in document["grant_types_supported"]
    assert "password" not in document["grant_types_supported"]
    assert "webhooks:manage" in document["scopes_supported"]


def test_the_secret_is_shown_once_and_stored_hashed(
    oauth_server: OAuthServer, machine: dict[str, str]
) -> None:
    assert len(machine["client_secret"]) >= 40
    with signed_in(oauth_server.url, "admin@tower.example") as admin:
        listed = admin.get("/api/v1/oauth/clients").json()
    assert machine["client_id"] in [client["client_id"] for client in listed]
    assert machine["client_secret"] not in str(listed)
    database = Path(oauth_server.database_url.split("///", 1)[1]).read_bytes()
    assert machine["client_secret"].encode() not in database


def test_client_credentials_token_is_an_rfc9068_jwt_that_verifies_with_the_jwks(
    oauth_server: OAuthServer, machine: dict[str, str]
) -> None:
    token = fetch_token(oauth_server, machine)
    assert token["token_type"].lower() == "bearer" and "refresh_token" not in token
    header = jwt.get_unverified_header(token["access_token"])
    assert header["typ"] == "at+jwt" and header["alg"] == "RS256" and header["kid"]

    signing_key = jwt.PyJWKClient(f"{oauth_server.url}/oauth/jwks.json").get_signing_key(header["kid"])
    claims = jwt.decode(
        token["access_token"],
        signing_key.key,
        algorithms=["RS256"],
        audience=f"{oauth_server.url}/api",
        issuer=oauth_server.url,
    )
    assert claims["client_id"] == machine["client_id"] == claims["sub"]
    assert set(claims["scope"].split()) == set(SCOPES)
    assert claims["exp"] > claims["iat"]


def test_the_token_acts_as_its_organisation(oauth_server: OAuthServer, machine: dict[str, str]) -> None:
    token = fetch_token(oauth_server, machine)
    me = httpx.get(
        f"{oauth_server.url}/api/v1/me", headers={"Authorization": f"Bearer {token['access_token']}"}
    )
    assert me.status_code == 200
    body = me.json()
    assert body["user"] is None and body["client_id"] == machine["client_id"]
    assert body["organisation"]["name"] == "中国铁塔深圳分公司（演示）"
    assert body["scopes"] == sorted(SCOPES)


def test_a_narrower_scope_can_be_asked_for(oauth_server: OAuthServer, machine: dict[str, str]) -> None:
    token = fetch_token(oauth_server, machine, scope="needs:read")
    assert token["scope"] == "needs:read"


def test_wrong_secret_is_refused(oauth_server: OAuthServer, machine: dict[str, str]) -> None:
    response = httpx.post(
        f"{oauth_server.url}/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(machine["client_id"], "not-the-secret"),
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


@pytest.mark.parametrize(
    "grant_type", ["password", "implicit", "urn:ietf:params:oauth:grant-type:device_code"]
)
def test_grants_the_security_bcp_forbids_are_unsupported(
    oauth_server: OAuthServer, machine: dict[str, str], grant_type: str
) -> None:
    response = httpx.post(
        f"{oauth_server.url}/oauth/token",
        data={"grant_type": grant_type, "username": "admin@tower.example", "password": "x"},
        auth=(machine["client_id"], machine["client_secret"]),
    )
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"


def test_revoked_token_is_inactive_and_refused(oauth_server: OAuthServer, machine: dict[str, str]) -> None:
    access = fetch_token(oauth_server, machine)["access_token"]
    credentials = (machine["client_id"], machine["client_secret"])
    before = httpx.post(
        f"{oauth_server.url}/oauth/introspect", data={"token": access}, auth=credentials
    ).json()
    assert before["active"] is True and before["client_id"] == machine["client_id"]
    bearer = {"Authorization": f"Bearer {access}"}
    assert httpx.get(f"{oauth_server.url}/api/v1/me", headers=bearer).status_code == 200  # remembered

    revoked = httpx.post(f"{oauth_server.url}/oauth/revoke", data={"token": access}, auth=credentials)
    assert revoked.status_code == 200
    after = httpx.post(
        f"{oauth_server.url}/oauth/introspect", data={"token": access}, auth=credentials
    ).json()
    assert after == {"active": False}
    refused = httpx.get(f"{oauth_server.url}/api/v1/me", headers=bearer)
    assert refused.status_code == 401
    assert 'error="invalid_token"' in refused.headers["www-authenticate"]


def test_a_tampered_token_is_refused(oauth_server: OAuthServer, machine: dict[str, str]) -> None:
    access = fetch_token(oauth_server, machine)["access_token"]
    head, payload, signature = access.split(".")
    forged = f"{head}.{payload}.{signature[:-4]}AAAA"
    response = httpx.get(f"{oauth_server.url}/api/v1/me", headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401


def test_people_only_endpoints_refuse_tokens_with_insufficient_scope(
    oauth_server: OAuthServer, machine: dict[str, str]
) -> None:
    access = fetch_token(oauth_server, machine)["access_token"]
    response = httpx.get(
        f"{oauth_server.url}/api/v1/oauth/clients", headers={"Authorization": f"Bearer {access}"}
    )
    assert response.status_code == 403
    assert 'error="insufficient_scope"' in response.headers["www-authenticate"]
    assert response.json()["type"] == "/problems/insufficient-scope"


def test_revoking_the_client_ends_its_tokens(oauth_server: OAuthServer) -> None:
    doomed = register_client(
        oauth_server.url, "admin@tower.example", name="short-lived", scopes=["needs:read"]
    )
    access = fetch_token(oauth_server, doomed)["access_token"]
    bearer = {"Authorization": f"Bearer {access}"}
    assert httpx.get(f"{oauth_server.url}/api/v1/me", headers=bearer).status_code == 200  # remembered
    with signed_in(oauth_server.url, "admin@tower.example") as admin:
        assert admin.post(f"/api/v1/oauth/clients/{doomed['id']}/revoke").status_code == 200
    assert httpx.get(f"{oauth_server.url}/api/v1/me", headers=bearer).status_code == 401
    with pytest.raises(Exception, match="invalid_client"):
        fetch_token(oauth_server, doomed)


def test_another_organisation_cannot_see_or_revoke_my_clients(
    oauth_server: OAuthServer, machine: dict[str, str]
) -> None:
    with signed_in(oauth_server.url, "admin@mobile.example") as rival:
        listed = rival.get("/api/v1/oauth/clients").json()
        assert machine["client_id"] not in str(listed)
        assert rival.post(f"/api/v1/oauth/clients/{machine['id']}/revoke").status_code == 404
        assert rival.post(f"/api/v1/oauth/clients/{machine['id']}/rotate-secret").status_code == 404


def test_members_cannot_register_clients(oauth_server: OAuthServer) -> None:
    with signed_in(oauth_server.url, "engineer@tower.example") as member:
        response = member.post("/api/v1/oauth/clients", json={"name": "x", "scopes": ["needs:read"]})
    assert response.status_code == 403


def test_rotating_the_secret_retires_the_old_one(oauth_server: OAuthServer) -> None:
    client = register_client(oauth_server.url, "admin@tower.example", name="rotating", scopes=["needs:read"])
    with signed_in(oauth_server.url, "admin@tower.example") as admin:
        rotated = admin.post(f"/api/v1/oauth/clients/{client['id']}/rotate-secret").json()
    assert rotated["client_secret"] != client["client_secret"]
    assert fetch_token(oauth_server, {**client, "client_secret": rotated["client_secret"]})["access_token"]
    with pytest.raises(Exception, match="invalid_client"):
        fetch_token(oauth_server, client)


def test_key_rotation_keeps_tokens_in_flight_valid(
    oauth_server: OAuthServer, machine: dict[str, str]
) -> None:
    before = fetch_token(oauth_server, machine)["access_token"]
    command = [str(Path(sys.executable).with_name("infrashare")), "oauth", "rotate-key"]
    env = {"INFRASHARE_DATABASE_URL": oauth_server.database_url, "PATH": "/usr/bin:/bin"}
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=60)

    after = fetch_token(oauth_server, machine)["access_token"]
    assert jwt.get_unverified_header(after)["kid"] != jwt.get_unverified_header(before)["kid"]
    kids = {key["kid"] for key in httpx.get(f"{oauth_server.url}/oauth/jwks.json").json()["keys"]}
    assert {jwt.get_unverified_header(before)["kid"], jwt.get_unverified_header(after)["kid"]} <= kids
    for token in (before, after):
        response = httpx.get(f"{oauth_server.url}/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200


def test_openapi_declares_the_token_schemes_and_each_operations_scope(oauth_server: OAuthServer) -> None:
    document = httpx.get(f"{oauth_server.url}/api/docs/openapi.json").json()
    scheme = document["components"]["securitySchemes"]["oauth2"]
    assert scheme["type"] == "oauth2"
    assert set(scheme["flows"]["clientCredentials"]["scopes"]) >= {"assets:read", "webhooks:manage"}
    assert scheme["flows"]["authorizationCode"]["authorizationUrl"] == "/oauth/authorize"
    me = document["paths"]["/api/v1/me"]["get"]["security"]
    assert document["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": document["components"]["securitySchemes"]["bearer"]["description"],
    }
    assert {"bearer": []} in me and {"session": []} in me
    webhooks = document["paths"]["/api/v1/webhooks"]["post"]["security"]
    assert webhooks == [
        {"bearer": ["webhooks:manage"]},
        {"session": [], "csrf": []},
    ]  # cookie writes need CSRF
    clients = document["paths"]["/api/v1/oauth/clients"]["get"]["security"]
    assert clients == [{"session": []}]  # people only
    public = ["/health", "/ready", "/oauth/token", "/oauth/jwks.json", "/api/v1/auth/login"]
    assert all("security" not in next(iter(document["paths"][path].values())) for path in public)
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if path.startswith("/api/v1/") and method in {"get", "post", "put", "patch", "delete"}:
                if path.startswith("/api/v1/auth/login"):
                    continue
                assert operation.get("security"), f"{method.upper()} {path} declares no security"
