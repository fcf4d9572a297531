"""The Authlib authorization server over our models, and its Litestar adapter.

Authlib's server core is synchronous, so each OAuth request runs in a worker thread with its
own synchronous SQLAlchemy session (one transaction: committed when the answer is a success).
"""

from __future__ import annotations

import secrets
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from authlib.oauth2 import AuthorizationServer as AuthlibAuthorizationServer
from authlib.oauth2.rfc6749 import OAuth2Payload, OAuth2Request, grants
from authlib.oauth2.rfc6749.errors import AccessDeniedError
from authlib.oauth2.rfc7009 import RevocationEndpoint as AuthlibRevocationEndpoint
from authlib.oauth2.rfc7662 import IntrospectionEndpoint as AuthlibIntrospectionEndpoint
from authlib.oauth2.rfc9068 import JWTBearerTokenGenerator
from joserfc.jwk import KeySet
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

from infrashare.audit.service import record_event_sync
from infrashare.core.clock import utc_now
from infrashare.core.principal import Actor
from infrashare.core.scopes import SCOPES
from infrashare.core.settings import Settings
from infrashare.oauth.dpop import DPoPProof
from infrashare.oauth.grants import AuthorizationCodeGrant, GrantUser, RefreshTokenGrant, RequiredS256
from infrashare.oauth.models import OAuthAuthorizationCode, OAuthClient, OAuthToken, digest
from infrashare.oauth.service import signing_key


class OtherOrganisation(AccessDeniedError):
    """An app of another organisation than the signed-in person's: refused on the consent page
    and on the decision alike."""


class HeaderMap(dict[str, str]):
    """Case-insensitive header lookup: Authlib asks for "Authorization", HTTP/2 sends lower case."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        super().__init__((key.lower(), value) for key, value in pairs)

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(key.lower())

    def __contains__(self, key: object) -> bool:
        return super().__contains__(str(key).lower())

    def get(self, key: str, default: Any = None) -> Any:
        return super().get(key.lower(), default)


@dataclass(frozen=True)
class FormRequest:
    """What Authlib needs of an HTTP request, read up front so it can cross into a thread."""

    method: str
    uri: str
    headers: HeaderMap
    query: dict[str, list[str]]
    form: dict[str, list[str]]


class _Payload(OAuth2Payload):
    def __init__(self, request: FormRequest) -> None:
        self._lists: defaultdict[str, list[str]] = defaultdict(list)
        for source in (request.query, request.form):
            for key, values in source.items():
                self._lists[key].extend(values)

    @property
    def data(self) -> dict[str, str]:
        return {key: values[0] for key, values in self._lists.items() if values}

    @property
    def datalist(self) -> defaultdict[str, list[str]]:
        return self._lists


class LitestarOAuth2Request(OAuth2Request):
    def __init__(self, request: FormRequest) -> None:
        super().__init__(method=request.method, uri=request.uri, headers=request.headers)
        self._source = request
        self.payload = _Payload(request)

    @property
    def args(self) -> dict[str, str]:
        return {key: values[0] for key, values in self._source.query.items() if values}

    @property
    def form(self) -> dict[str, str]:
        return {key: values[0] for key, values in self._source.form.items() if values}


@dataclass(frozen=True)
class OAuthAnswer:
    status: int
    body: Any
    headers: list[tuple[str, str]]


def _refresh_token(**_context: Any) -> str:
    return secrets.token_urlsafe(48)


class AccessTokenGenerator(JWTBearerTokenGenerator):
    """RFC 9068 JWT access tokens signed with the current key; opaque refresh tokens."""

    def __init__(self, server: AuthorizationServer) -> None:
        settings = server.settings
        super().__init__(
            issuer=settings.public_base_url,
            refresh_token_generator=_refresh_token,
            expires_generator=settings.oauth_access_token_seconds,
        )
        self.server = server

    def get_jwks(self) -> KeySet:
        return KeySet([signing_key(self.server.session)])

    def get_audiences(self, client: Any, user: Any, scope: str) -> str:
        return self.server.settings.api_audience

    def get_extra_claims(
        self, client: OAuthClient, grant_type: str, user: GrantUser | None, scope: str
    ) -> dict[str, Any]:
        organisation = user.organisation_id if user else client.organisation_id
        return {"org_id": str(organisation)}


class RevocationEndpoint(AuthlibRevocationEndpoint):
    CLIENT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]

    def query_token(self, token_string: str, token_type_hint: str | None) -> OAuthToken | None:
        return self.server.find_token(token_string, token_type_hint)

    def revoke_token(self, token: OAuthToken, request: Any) -> None:
        token.revoked_at = utc_now()
        client: OAuthClient = request.client
        record_event_sync(
            self.server.session,
            Actor(organisation_id=client.organisation_id, client_id=client.client_id),
            "oauth_token.revoked",
            "oauth_token",
            token.jti,
        )


class IntrospectionEndpoint(AuthlibIntrospectionEndpoint):
    """Judges the token presented: an access token by its own expiry, never its refresh token's."""

    CLIENT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]
    presented_refresh = False

    def query_token(self, token_string: str, token_type_hint: str | None) -> OAuthToken | None:
        token = self.server.find_token(token_string, token_type_hint)
        self.presented_refresh = token is not None and token.refresh_token_hash == digest(token_string)
        return token

    def check_permission(self, token: OAuthToken, client: OAuthClient, request: Any) -> bool:
        # A client may introspect the tokens of its own organisation's clients.
        owner = self.server.query_client(token.client_id)
        return owner is not None and owner.organisation_id == client.organisation_id

    def create_introspection_payload(self, token: OAuthToken | None) -> dict[str, Any]:
        if token is None or token.is_revoked():
            return {"active": False}
        if self.presented_refresh:
            expires = None if token.refresh_used_at else token.refresh_expires_at
        else:
            expires = token.access_expires_at
        if expires is None or expires <= utc_now():
            return {"active": False}
        return self.introspect_token(token, expires)

    def introspect_token(self, token: OAuthToken, expires: datetime | None = None) -> dict[str, Any]:
        return {
            "active": True,
            "client_id": token.client_id,
            "token_type": "refresh_token" if self.presented_refresh else "Bearer",
            "scope": token.scope,
            "sub": str(token.user_id) if token.user_id else token.client_id,
            "org_id": str(token.organisation_id),
            "exp": int((expires or token.access_expires_at).timestamp()),
            "iat": int(token.issued_at.timestamp()),
            "iss": self.server.settings.public_base_url,
            "jti": token.jti,
        }


class AuthorizationServer(AuthlibAuthorizationServer):
    """One instance per OAuth request, bound to that request's synchronous session."""

    def __init__(self, session: Session, settings: Settings) -> None:
        super().__init__(scopes_supported=list(SCOPES))
        self.session = session
        self.settings = settings
        self.keeps_changes = False
        self.register_token_generator("default", AccessTokenGenerator(self))
        self.register_grant(grants.ClientCredentialsGrant)
        self.register_grant(AuthorizationCodeGrant, [RequiredS256(required=True)])
        self.register_grant(RefreshTokenGrant)
        self.register_endpoint(RevocationEndpoint)
        self.register_endpoint(IntrospectionEndpoint)

    def query_client(self, client_id: str) -> OAuthClient | None:
        return self.session.scalars(
            select(OAuthClient).where(OAuthClient.client_id == client_id, OAuthClient.revoked_at.is_(None))
        ).first()

    def consent_grant(self, request: FormRequest, user: GrantUser) -> grants.AuthorizationCodeGrant:
        """The authorization request a signed-in person may answer: valid (client, redirect URI,
        PKCE, scopes) and from an app of the person's own organisation. The consent page and the
        decision both ask this, so a decision posted without the page is judged alike."""
        grant: grants.AuthorizationCodeGrant = self.get_consent_grant(request=request, end_user=user)
        client: OAuthClient = grant.client
        if client.organisation_id != user.organisation_id:
            raise OtherOrganisation("This app belongs to another organisation.")
        return grant

    def record_consent(self, grant: grants.AuthorizationCodeGrant, user: GrantUser, allowed: bool) -> None:
        client: OAuthClient = grant.client
        record_event_sync(
            self.session,
            Actor(user.user_id, user.organisation_id),
            "oauth_client.consent_given" if allowed else "oauth_client.consent_refused",
            "oauth_client",
            client.id,
            after={"client_id": client.client_id, "scope": grant.request.scope},
        )

    def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
        from joserfc import jwt

        claims = jwt.decode(token["access_token"], KeySet([signing_key(self.session)])).claims
        now = datetime.fromtimestamp(claims["iat"], UTC)
        previous: OAuthToken | None = getattr(request, "refresh_token", None)
        code: OAuthAuthorizationCode | None = getattr(request, "code_row", None)
        family = previous.family_id if previous else code.id if code else uuid.uuid4()
        user: GrantUser | None = request.user
        refresh = token.get("refresh_token")
        proof: DPoPProof | None = getattr(request, "dpop", None)
        record_event_sync(
            self.session,
            Actor(user.user_id if user else None, uuid.UUID(claims["org_id"]), request.client.client_id),
            "oauth_token.issued",
            "oauth_token",
            claims["jti"],
            after={
                "grant_type": request.payload.grant_type,
                "scope": token.get("scope") or "",
                "refresh_token": bool(refresh),
                "family_id": family,
            },
        )
        self.session.add(
            OAuthToken(
                client_id=request.client.client_id,
                organisation_id=uuid.UUID(claims["org_id"]),
                user_id=user.user_id if user else None,
                scope=token.get("scope") or "",
                jti=claims["jti"],
                access_token_hash=digest(token["access_token"]),
                refresh_token_hash=digest(refresh) if refresh else None,
                family_id=family,
                issued_at=now,
                access_expires_at=datetime.fromtimestamp(claims["exp"], UTC),
                refresh_expires_at=now + timedelta(days=self.settings.oauth_refresh_token_days)
                if refresh
                else None,
                dpop_jkt=proof.jkt if proof and refresh else None,
            )
        )

    def find_token(self, token_string: str, hint: str | None) -> OAuthToken | None:
        by_access = OAuthToken.access_token_hash == digest(token_string)
        by_refresh = OAuthToken.refresh_token_hash == digest(token_string)
        condition = (
            by_refresh
            if hint == "refresh_token"
            else by_access
            if hint == "access_token"
            else by_access | by_refresh
        )
        return self.session.scalars(select(OAuthToken).where(condition)).first()

    def revoke_and_keep(self, statement: Executable) -> None:
        """A revocation that must stick although this request then fails (reuse detection).

        Done in this request's transaction (a second one would wait on SQLite's write lock
        that this one holds) and kept by committing even the failed answer."""
        self.session.execute(statement)
        self.keeps_changes = True

    def create_oauth2_request(self, request: FormRequest) -> LitestarOAuth2Request:
        return LitestarOAuth2Request(request)

    def create_json_request(self, request: FormRequest) -> Any:
        raise NotImplementedError("no JSON endpoints")

    def handle_response(self, status: int, body: Any, headers: list[tuple[str, str]]) -> OAuthAnswer:
        return OAuthAnswer(status, body, list(headers))

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        return None
