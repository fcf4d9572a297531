"""Apps acting for a person: authorization code with S256 PKCE, consent, refresh rotation."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.httpx_client import OAuth2Client

from tests.oauth.conftest import OAuthServer, hidden_fields, register_client, signed_in

# RFC 7636 appendix B
VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
REDIRECT = "http://127.0.0.1:8765/callback"
PERSON = "engineer@tower.example"


@pytest.fixture(scope="module")
def public_app(oauth_server: OAuthServer) -> dict[str, str]:
    return register_client(
        oauth_server.url,
        "admin@tower.example",
        name="巡检 App",
        kind="public",
        redirect_uris=[REDIRECT],
        scopes=["assets:read", "needs:read"],
    )


@pytest.fixture(scope="module")
def confidential_app(oauth_server: OAuthServer) -> dict[str, str]:
    return register_client(
        oauth_server.url, "admin@tower.example", name="OSS", redirect_uris=[REDIRECT], scopes=["needs:read"]
    )


@pytest.fixture
def person(oauth_server: OAuthServer) -> Iterator[httpx.Client]:
    with signed_in(oauth_server.url, PERSON) as client:
        yield client


def authorize_params(app: dict[str, str], **overrides: str) -> dict[str, str]:
    params = {
        "response_type": "code",
        "client_id": app["client_id"],
        "redirect_uri": REDIRECT,
        "scope": "assets:read",
        "state": "state-42",
        "code_challenge": CHALLENGE,
        "code_challenge_method": "S256",
    }
    return {**params, **overrides}


def consent(person: httpx.Client, params: dict[str, str], decision: str = "allow") -> httpx.Response:
    page = person.get("/oauth/authorize", params=params)
    assert page.status_code == 200, page.text
    return person.post("/oauth/authorize", data={**hidden_fields(page.text), "decision": decision})


def code_from(response: httpx.Response) -> str:
    assert response.status_code == 302, response.text
    location = urlsplit(response.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    query = parse_qs(location.query)
    assert query["state"] == ["state-42"]
    return query["code"][0]


def exchange(server: OAuthServer, app: dict[str, str], code: str, verifier: str = VERIFIER) -> dict[str, str]:
    with OAuth2Client(
        app["client_id"],
        app.get("client_secret"),
        timeout=15,
        token_endpoint_auth_method="none" if app["kind"] == "public" else "client_secret_basic",
    ) as client:
        token: dict[str, str] = client.fetch_token(
            f"{server.url}/oauth/token",
            grant_type="authorization_code",
            code=code,
            redirect_uri=REDIRECT,
            code_verifier=verifier,
        )
    return token


def me(server: OAuthServer, access_token: str) -> httpx.Response:
    return httpx.get(f"{server.url}/api/v1/me", headers={"Authorization": f"Bearer {access_token}"})


def test_rfc7636_appendix_b_pair_is_s256() -> None:
    digest = hashlib.sha256(VERIFIER.encode("ascii")).digest()
    assert base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == CHALLENGE


def test_consent_page_lists_the_scopes_and_needs_sign_in(
    oauth_server: OAuthServer, public_app: dict[str, str]
) -> None:
    anonymous = httpx.get(f"{oauth_server.url}/oauth/authorize", params=authorize_params(public_app))
    assert anonymous.status_code in (302, 303) and anonymous.headers["location"].startswith("/?next=")
    with signed_in(oauth_server.url, PERSON) as person:
        page = person.get(
            "/oauth/authorize", params=authorize_params(public_app, scope="assets:read needs:read")
        )
    assert "巡检 App" in page.text and "assets:read" in page.text and "needs:read" in page.text
    assert page.headers["x-frame-options"] == "DENY"


def test_public_client_code_flow_with_pkce_acts_for_the_person(
    oauth_server: OAuthServer, public_app: dict[str, str], person: httpx.Client
) -> None:
    token = exchange(oauth_server, public_app, code_from(consent(person, authorize_params(public_app))))
    assert token["scope"] == "assets:read" and token["refresh_token"]
    body = me(oauth_server, token["access_token"]).json()
    assert body["user"]["email"] == PERSON and body["role"] == "operator_member"
    assert body["client_id"] == public_app["client_id"] and body["scopes"] == ["assets:read"]


def test_confidential_client_must_use_pkce_too(
    oauth_server: OAuthServer, confidential_app: dict[str, str], person: httpx.Client
) -> None:
    params = authorize_params(confidential_app, scope="needs:read")
    del params["code_challenge"], params["code_challenge_method"]
    page = person.get("/oauth/authorize", params=params)
    assert page.status_code == 400 and "PKCE" in page.text
    plain = person.get(
        "/oauth/authorize", params={**params, "code_challenge": VERIFIER, "code_challenge_method": "plain"}
    )
    assert plain.status_code == 400
    token = exchange(
        oauth_server,
        confidential_app,
        code_from(consent(person, authorize_params(confidential_app, scope="needs:read"))),
    )
    assert token["access_token"]


def test_wrong_verifier_is_refused(
    oauth_server: OAuthServer, public_app: dict[str, str], person: httpx.Client
) -> None:
    code = code_from(consent(person, authorize_params(public_app)))
    with pytest.raises(OAuthError, match="invalid_grant"):
        exchange(oauth_server, public_app, code, verifier="x" * 43)


def test_a_code_works_once_and_its_reuse_revokes_what_it_gave(
    oauth_server: OAuthServer, public_app: dict[str, str], person: httpx.Client
) -> None:
    code = code_from(consent(person, authorize_params(public_app)))
    first = exchange(oauth_server, public_app, code)
    with pytest.raises(OAuthError, match="invalid_grant"):
        exchange(oauth_server, public_app, code)
    assert me(oauth_server, first["access_token"]).status_code == 401


def test_redirect_uris_match_exactly_and_a_bad_one_is_never_followed(
    oauth_server: OAuthServer, public_app: dict[str, str], person: httpx.Client
) -> None:
    for uri in (
        REDIRECT + "/evil",
        "http://127.0.0.1:8765/callback?x=1",
        "https://attacker.example/callback",
    ):
        page = person.get("/oauth/authorize", params=authorize_params(public_app, redirect_uri=uri))
        assert page.status_code == 400
        assert "location" not in page.headers


def test_denying_consent_redirects_with_access_denied(
    oauth_server: OAuthServer, public_app: dict[str, str], person: httpx.Client
) -> None:
    response = consent(person, authorize_params(public_app), decision="deny")
    assert response.status_code == 302
    assert parse_qs(urlsplit(response.headers["location"]).query)["error"] == ["access_denied"]


def test_consent_needs_the_sessions_csrf_token(
    oauth_server: OAuthServer, public_app: dict[str, str], person: httpx.Client
) -> None:
    page = person.get("/oauth/authorize", params=authorize_params(public_app))
    fields = {**hidden_fields(page.text), "csrf_token": "forged", "decision": "allow"}
    assert person.post("/oauth/authorize", data=fields).status_code == 403


def test_a_person_cannot_authorise_another_organisations_app(
    oauth_server: OAuthServer, public_app: dict[str, str]
) -> None:
    with signed_in(oauth_server.url, "engineer@mobile.example") as outsider:
        page = outsider.get("/oauth/authorize", params=authorize_params(public_app))
    assert page.status_code == 400


def test_refresh_rotates_and_reuse_revokes_the_family(
    oauth_server: OAuthServer, public_app: dict[str, str], person: httpx.Client
) -> None:
    first = exchange(oauth_server, public_app, code_from(consent(person, authorize_params(public_app))))
    with OAuth2Client(public_app["client_id"], token_endpoint_auth_method="none", timeout=15) as client:
        second = client.refresh_token(f"{oauth_server.url}/oauth/token", refresh_token=first["refresh_token"])
        assert second["refresh_token"] != first["refresh_token"]
        assert me(oauth_server, second["access_token"]).status_code == 200
        # The old refresh token shows up again: a copy leaked. Everything of this family ends.
        with pytest.raises(OAuthError, match="invalid_grant"):
            client.refresh_token(f"{oauth_server.url}/oauth/token", refresh_token=first["refresh_token"])
        assert me(oauth_server, second["access_token"]).status_code == 401
        with pytest.raises(OAuthError, match="invalid_grant"):
            client.refresh_token(f"{oauth_server.url}/oauth/token", refresh_token=second["refresh_token"])


def test_deactivated_person_tokens_stop_working(oauth_server: OAuthServer) -> None:
    with signed_in(oauth_server.url, "admin@tower.example") as admin:
        me_admin = admin.get("/api/v1/me").json()
        organisation = me_admin["organisation"]["id"]
        newcomer = admin.post(
            f"/api/v1/organisations/{organisation}/users",
            json={
                "email": "temp@tower.example",
                "display_name": "临时",
                "password": "a-long-password-1",
                "role": "operator_member",
            },
        ).json()
        app = register_client(
            oauth_server.url,
            "admin@tower.example",
            name="temp app",
            kind="public",
            redirect_uris=[REDIRECT],
            scopes=["assets:read"],
        )
        with httpx.Client(base_url=oauth_server.url) as temp:
            login = temp.post(
                "/api/v1/auth/login", json={"email": "temp@tower.example", "password": "a-long-password-1"}
            )
            temp.headers["X-CSRF-Token"] = login.json()["csrf_token"]
            token = exchange(oauth_server, app, code_from(consent(temp, authorize_params(app))))
        assert me(oauth_server, token["access_token"]).status_code == 200
        admin.post(f"/api/v1/organisations/{organisation}/users/{newcomer['id']}/deactivate")
    assert me(oauth_server, token["access_token"]).status_code == 401
