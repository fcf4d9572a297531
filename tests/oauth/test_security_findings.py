"""Issue 17's OAuth findings, each driven with Authlib's client against a live server on both
databases: cross-organisation consent, introspection of an expired access token, and scopes a
client does not hold."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from authlib.common.security import generate_token
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.httpx_client import OAuth2Client
from sqlalchemy import create_engine, text

from infrashare.core.db import sync_url
from tests.oauth.conftest import OAuthServer, hidden_fields, register_client, signed_in

REDIRECT = "http://127.0.0.1:8765/callback"
OWNER_ADMIN, OWNER_PERSON, OUTSIDER = (
    "admin@tower.example",
    "engineer@tower.example",
    "engineer@mobile.example",
)


def app_client(server: OAuthServer, app: dict[str, str], scope: str) -> OAuth2Client:
    return OAuth2Client(
        app["client_id"],
        app.get("client_secret"),
        redirect_uri=REDIRECT,
        scope=scope,
        code_challenge_method="S256",
        token_endpoint_auth_method="none" if app["kind"] == "public" else "client_secret_basic",
        timeout=15,
    )


def authorization_request(server: OAuthServer, client: OAuth2Client, verifier: str) -> tuple[str, str]:
    """The path and query the app sends the person to, as Authlib builds it."""
    url, _state = client.create_authorization_url(f"{server.url}/oauth/authorize", code_verifier=verifier)
    parts = urlsplit(url)
    return parts.path, parts.query


def person_allows(server: OAuthServer, email: str, path: str, query: str) -> httpx.Response:
    with signed_in(server.url, email) as person:
        page = person.get(f"{path}?{query}")
        assert page.status_code == 200, page.text
        return person.post(path, data={**hidden_fields(page.text), "decision": "allow"})


def test_a_person_of_another_organisation_cannot_post_consent_for_an_app(live_oauth: OAuthServer) -> None:
    app = register_client(
        live_oauth.url,
        OWNER_ADMIN,
        name="巡检 App",
        kind="public",
        redirect_uris=[REDIRECT],
        scopes=["assets:read"],
    )
    verifier = generate_token(48)
    with app_client(live_oauth, app, "assets:read") as client:
        path, query = authorization_request(live_oauth, client, verifier)
        with signed_in(live_oauth.url, OUTSIDER) as outsider:
            assert outsider.get(f"{path}?{query}").status_code == 400  # the page refuses
            csrf = outsider.headers["X-CSRF-Token"]
            # Straight to the decision, with the outsider's own session and CSRF token.
            forged = outsider.post(
                path, data={**dict(parse_qsl(query)), "csrf_token": csrf, "decision": "allow"}
            )
            denied = outsider.post(
                path, data={**dict(parse_qsl(query)), "csrf_token": csrf, "decision": "deny"}
            )
        assert forged.status_code == 400 and "location" not in forged.headers
        assert "access_denied" in forged.text
        assert denied.status_code == 400 and "location" not in denied.headers

        # The same request answered by a person of the app's organisation gives a working code.
        answer = person_allows(live_oauth, OWNER_PERSON, path, query)
        assert answer.status_code == 302, answer.text
        token = client.fetch_token(
            f"{live_oauth.url}/oauth/token",
            authorization_response=answer.headers["location"],
            code_verifier=verifier,
        )
    me = httpx.get(
        f"{live_oauth.url}/api/v1/me", headers={"Authorization": f"Bearer {token['access_token']}"}
    )
    assert me.json()["user"]["email"] == OWNER_PERSON


def _expire_access_tokens(server: OAuthServer) -> None:
    engine = create_engine(sync_url(server.database_url))
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE oauth_tokens SET access_expires_at = :past"),
            {"past": datetime.now(UTC) - timedelta(minutes=1)},
        )
    engine.dispose()


def test_introspection_judges_the_access_token_alone(live_oauth: OAuthServer) -> None:
    app = register_client(
        live_oauth.url, OWNER_ADMIN, name="OSS", redirect_uris=[REDIRECT], scopes=["needs:read"]
    )
    verifier = generate_token(48)
    with app_client(live_oauth, app, "needs:read") as client:
        path, query = authorization_request(live_oauth, client, verifier)
        answer = person_allows(live_oauth, OWNER_PERSON, path, query)
        token = client.fetch_token(
            f"{live_oauth.url}/oauth/token",
            authorization_response=answer.headers["location"],
            code_verifier=verifier,
        )
    credentials = (app["client_id"], app["client_secret"])

    def introspect(value: str, hint: str) -> dict[str, object]:
        response = httpx.post(
            f"{live_oauth.url}/oauth/introspect",
            data={"token": value, "token_type_hint": hint},
            auth=credentials,
        )
        assert response.status_code == 200, response.text
        body: dict[str, object] = response.json()
        return body

    assert introspect(token["access_token"], "access_token")["active"] is True
    _expire_access_tokens(live_oauth)
    # The refresh token still has 30 days: the access token is expired all the same.
    assert introspect(token["access_token"], "access_token") == {"active": False}
    assert introspect(token["access_token"], "") == {"active": False}
    refresh = introspect(token["refresh_token"], "refresh_token")
    assert refresh["active"] is True
    assert int(str(refresh["exp"])) > datetime.now(UTC).timestamp() + 29 * 86400


def test_a_scope_the_client_does_not_hold_is_invalid_scope(live_oauth: OAuthServer) -> None:
    machine = register_client(live_oauth.url, OWNER_ADMIN, name="GIS", scopes=["needs:read"])
    with OAuth2Client(machine["client_id"], machine["client_secret"], timeout=15) as client:
        with pytest.raises(OAuthError, match="invalid_scope"):
            client.fetch_token(
                f"{live_oauth.url}/oauth/token",
                grant_type="client_credentials",
                scope="needs:read assets:write",
            )
        granted = client.fetch_token(
            f"{live_oauth.url}/oauth/token", grant_type="client_credentials", scope="needs:read"
        )
    assert granted["scope"] == "needs:read"

    app = register_client(
        live_oauth.url,
        OWNER_ADMIN,
        name="App",
        kind="public",
        redirect_uris=[REDIRECT],
        scopes=["assets:read"],
    )
    with app_client(live_oauth, app, "assets:read assets:write") as client:
        path, query = authorization_request(live_oauth, client, generate_token(48))
    with signed_in(live_oauth.url, OWNER_PERSON) as person:
        page = person.get(f"{path}?{query}")
    assert page.status_code == 400 and "invalid_scope" in page.text


def test_the_consent_page_cannot_be_framed_or_run_injected_script(live_oauth: OAuthServer) -> None:
    app = register_client(
        live_oauth.url,
        OWNER_ADMIN,
        name="App",
        kind="public",
        redirect_uris=[REDIRECT],
        scopes=["assets:read"],
    )
    with app_client(live_oauth, app, "assets:read") as client:
        path, query = authorization_request(live_oauth, client, generate_token(48))
    with signed_in(live_oauth.url, OWNER_PERSON) as person:
        page = person.get(f"{path}?{query}")
    assert page.status_code == 200
    assert page.headers["x-frame-options"] == "DENY" and page.headers["cache-control"] == "no-store"
    policy = page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy


def _events_since(server: OAuthServer, seq: int) -> list[tuple[str, str, str | None]]:
    engine = create_engine(sync_url(server.database_url))
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT action, object_type, actor_client_id FROM events WHERE seq > :seq ORDER BY seq"),
            {"seq": seq},
        ).all()
    engine.dispose()
    return [(row[0], row[1], row[2]) for row in rows]


def _last_seq(server: OAuthServer) -> int:
    engine = create_engine(sync_url(server.database_url))
    with engine.connect() as connection:
        seq = int(connection.execute(text("SELECT seq FROM event_chain_head")).scalar_one())
    engine.dispose()
    return seq


def test_the_event_log_records_sign_ins_consent_tokens_and_revocation(live_oauth: OAuthServer) -> None:
    app = register_client(
        live_oauth.url, OWNER_ADMIN, name="OSS", redirect_uris=[REDIRECT], scopes=["needs:read"]
    )
    start = _last_seq(live_oauth)
    wrong = httpx.post(
        f"{live_oauth.url}/api/v1/auth/login", json={"email": OWNER_PERSON, "password": "not-the-password"}
    )
    unknown = httpx.post(
        f"{live_oauth.url}/api/v1/auth/login", json={"email": "nobody@tower.example", "password": "not-it"}
    )
    assert wrong.status_code == unknown.status_code == 401
    verifier = generate_token(48)
    with app_client(live_oauth, app, "needs:read") as client:
        path, query = authorization_request(live_oauth, client, verifier)
        with signed_in(live_oauth.url, OWNER_PERSON) as person:
            page = person.get(f"{path}?{query}")
            refused = person.post(path, data={**hidden_fields(page.text), "decision": "deny"})
            assert refused.status_code == 302
            allowed = person.post(path, data={**hidden_fields(page.text), "decision": "allow"})
        token = client.fetch_token(
            f"{live_oauth.url}/oauth/token",
            authorization_response=allowed.headers["location"],
            code_verifier=verifier,
        )
        client.revoke_token(f"{live_oauth.url}/oauth/revoke", token["access_token"])
    events = _events_since(live_oauth, start)
    assert [(action, kind) for action, kind, _ in events] == [
        ("user.sign_in_failed", "user"),
        ("user.sign_in_failed", "unknown_account"),
        ("user.signed_in", "user"),
        ("oauth_client.consent_refused", "oauth_client"),
        ("oauth_client.consent_given", "oauth_client"),
        ("oauth_token.issued", "oauth_token"),
        ("oauth_token.revoked", "oauth_token"),
    ]
    assert events[-1][2] == events[-2][2] == app["client_id"]
