"""HTTP: the OAuth 2.0 endpoints (RFC 6749, 7009, 7662, 8414, 9068) and client management."""

from __future__ import annotations

import hmac
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import anyio
from authlib.oauth2 import OAuth2Error
from litestar import Controller, MediaType, Request, Response, get, post
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, JSONBody
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_200_OK
from sqlalchemy.ext.asyncio import AsyncSession

from infrashare.accounts.models import Organisation, User
from infrashare.core.authentication import SESSION_COOKIE, cookie_principal
from infrashare.core.clock import utc_now
from infrashare.core.db import Database, DbSession
from infrashare.core.principal import CurrentPrincipal, Principal
from infrashare.core.scopes import SCOPES
from infrashare.core.settings import AppSettings, Settings
from infrashare.oauth import dpop, service
from infrashare.oauth.consent import consent_page, invalid_request_page
from infrashare.oauth.grants import GrantUser
from infrashare.oauth.models import OAuthClient
from infrashare.oauth.schemas import ClientCreate, ClientRead, ClientWithSecret, OAuthError, TokenAnswer
from infrashare.oauth.server import (
    AuthorizationServer,
    FormRequest,
    HeaderMap,
    OAuthAnswer,
    OtherOrganisation,
)

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


async def _form_request(request: Request[Any, Any, Any], settings: Settings) -> FormRequest:
    form = await request.form() if request.method == "POST" else None
    query = request.url.query
    return FormRequest(
        method=request.method,
        uri=f"{settings.public_base_url}{request.url.path}" + (f"?{query}" if query else ""),
        headers=HeaderMap(request.headers.items()),
        query={key: request.query_params.getall(key) for key in request.query_params},
        form={key: [str(v) for v in form.getall(key)] for key in form} if form else {},
    )


async def _run(
    database: Database, settings: Settings, work: Callable[[AuthorizationServer], OAuthAnswer]
) -> OAuthAnswer:
    """Runs Authlib in a worker thread, in one synchronous transaction kept only on success."""

    def in_thread() -> OAuthAnswer:
        with database.sync_writer() as session:
            server = AuthorizationServer(session, settings)
            answer = work(server)
            if answer.status < 400 or server.keeps_changes:
                session.commit()
            else:
                session.rollback()
            return answer

    return await anyio.to_thread.run_sync(in_thread)


def _json(answer: OAuthAnswer) -> Response[Any]:
    headers = {**dict(answer.headers), **NO_STORE}
    return Response(answer.body, status_code=answer.status, headers=headers, media_type=MediaType.JSON)


OAUTH_ERRORS = {
    400: ResponseSpec(
        OAuthError, generate_examples=False, description="The request or grant is refused (RFC 6749 §5.2)"
    ),
    401: ResponseSpec(
        OAuthError, generate_examples=False, description="Client authentication failed (invalid_client)"
    ),
}
HTML_PAGE = ResponseSpec(
    str, description="An HTML page explaining the error", media_type=MediaType.HTML, generate_examples=False
)
REDIRECT = ResponseSpec(None, description="To the sign-in page, or back to the client's redirect URI")


class OAuthController(Controller):
    path = "/oauth"
    tags = ["oauth"]
    include_in_schema = True

    @post(
        "/token",
        status_code=HTTP_200_OK,
        summary="Token endpoint: client_credentials, authorization_code (PKCE), refresh_token",
        response_description="The access token",
        responses=OAUTH_ERRORS,
    )
    async def token(self, request: Request[Any, Any, Any], settings: AppSettings) -> Response[TokenAnswer]:
        form = await _form_request(request, settings)
        answer = await _run(request.app.state.db, settings, lambda server: server.create_token_response(form))
        return _json(answer)

    @post(
        "/revoke",
        status_code=HTTP_200_OK,
        summary="Revoke an access or refresh token (RFC 7009)",
        responses=OAUTH_ERRORS,
    )
    async def revoke(self, request: Request[Any, Any, Any], settings: AppSettings) -> Response[Any]:
        form = await _form_request(request, settings)
        answer = await _run(
            request.app.state.db, settings, lambda s: s.create_endpoint_response("revocation", form)
        )
        return _json(answer)

    @post(
        "/introspect",
        status_code=HTTP_200_OK,
        summary="Introspect a token (RFC 7662)",
        responses=OAUTH_ERRORS,
    )
    async def introspect(self, request: Request[Any, Any, Any], settings: AppSettings) -> Response[Any]:
        form = await _form_request(request, settings)
        answer = await _run(
            request.app.state.db, settings, lambda s: s.create_endpoint_response("introspection", form)
        )
        return _json(answer)

    @get("/jwks.json", summary="Keys that verify access tokens (JWKS)")
    async def jwks(self, request: Request[Any, Any, Any]) -> dict[str, Any]:
        database: Database = request.app.state.db

        def read() -> dict[str, Any]:
            with database.sync_writer() as session:
                service.signing_key(session)  # the first key is made on first use
                keys = service.verification_keys(session)
                session.commit()
                return dict(keys.as_dict(private=False))

        return await anyio.to_thread.run_sync(read)

    @get(
        "/authorize",
        summary="Authorization endpoint: the consent page",
        media_type=MediaType.HTML,
        responses={302: REDIRECT, 400: HTML_PAGE},
    )
    async def authorize_page(
        self, request: Request[Any, Any, Any], db_session: DbSession, settings: AppSettings
    ) -> Response[Any]:
        principal = await _signed_in(request)
        if principal is None:
            return Redirect(f"/?{urlencode({'next': str(request.url.path) + '?' + request.url.query})}")
        form = await _form_request(request, settings)
        user = GrantUser(principal.user_id, principal.organisation_id)  # type: ignore[arg-type]

        def validate(server: AuthorizationServer) -> OAuthAnswer:
            try:
                grant = server.consent_grant(form, user)
            except OAuth2Error as error:
                return OAuthAnswer(400, _refusal(error), [])
            client: OAuthClient = grant.client
            scopes = (client.get_allowed_scope(grant.request.payload.scope) or "").split()
            return OAuthAnswer(200, (client.name, scopes), [])

        answer = await _run(request.app.state.db, settings, validate)
        if answer.status != 200:
            return invalid_request_page(*answer.body, status_code=400)
        client_name, scopes = answer.body
        page = await _consent(db_session, principal, client_name, scopes, form)
        page.headers.update(NO_STORE)  # framing and scripts: the app's security headers (app.py)
        return page

    @post(
        "/authorize",
        status_code=302,
        summary="Authorization endpoint: the person's decision",
        media_type=MediaType.HTML,
        responses={400: HTML_PAGE, 403: HTML_PAGE},
    )
    async def authorize_decision(
        self, request: Request[Any, Any, Any], settings: AppSettings
    ) -> Response[Any]:
        principal = await _signed_in(request)
        form = await _form_request(request, settings)
        sent_csrf = (form.form.get("csrf_token") or [""])[0]
        if principal is None or not hmac.compare_digest(sent_csrf, principal.csrf_token or ""):
            return invalid_request_page("access_denied", None, "invalid.sign_in_again", status_code=403)
        allowed = (form.form.get("decision") or [""])[0] == "allow"
        user = GrantUser(principal.user_id, principal.organisation_id)  # type: ignore[arg-type]

        def decide(server: AuthorizationServer) -> OAuthAnswer:
            try:
                grant = server.consent_grant(form, user)  # the same check as the consent page's
            except OAuth2Error as error:
                return OAuthAnswer(400, _refusal(error), [])
            answer = server.create_authorization_response(
                request=grant.request, grant_user=user if allowed else None, grant=grant
            )
            if answer.status == 302:
                server.record_consent(grant, user, allowed)
            return answer

        answer = await _run(request.app.state.db, settings, decide)
        location = dict(answer.headers).get("Location")
        if location:
            return Redirect(location, status_code=302)
        error = answer.body if isinstance(answer.body, tuple) else ("invalid_request", str(answer.body), None)
        return invalid_request_page(*error, status_code=400)


def _refusal(error: OAuth2Error) -> tuple[str, str | None, str | None]:
    """The error page's parts: the app's own refusals are worded from the pages' catalogue."""
    if isinstance(error, OtherOrganisation):
        return (error.error, None, "invalid.other_organisation")
    return (error.error, error.get_error_description(), None)


async def _signed_in(request: Request[Any, Any, Any]) -> Principal | None:
    """The person behind the session cookie. Read in its own read-only session: the consent
    POST must not hold SQLite's write lock while Authlib's thread writes the code."""
    if not request.cookies.get(SESSION_COOKIE):
        return None
    database: Database = request.app.state.db
    async with database.reader() as db:
        return await cookie_principal(request, db, utc_now())


async def _consent(
    db: AsyncSession,
    principal: Principal,
    client_name: str,
    scopes: list[str],
    form: FormRequest,
) -> Template:
    user = await db.get(User, principal.user_id)
    organisation = await db.get(Organisation, principal.organisation_id)
    keep = (
        "response_type",
        "client_id",
        "redirect_uri",
        "scope",
        "state",
        "code_challenge",
        "code_challenge_method",
    )
    hidden = {key: form.query[key][0] for key in keep if form.query.get(key)}
    return consent_page(
        client_name,
        organisation.name if organisation else "",
        user.display_name if user else "",
        scopes,
        hidden,
        principal.csrf_token or "",
    )


@get(
    "/.well-known/oauth-authorization-server",
    tags=["oauth"],
    summary="Authorization server metadata (RFC 8414)",
)
async def metadata(settings: AppSettings) -> dict[str, Any]:
    base = settings.public_base_url
    return {
        "issuer": base,
        "authorization_endpoint": f"{base}/oauth/authorize",
        "token_endpoint": f"{base}/oauth/token",
        "jwks_uri": f"{base}/oauth/jwks.json",
        "revocation_endpoint": f"{base}/oauth/revoke",
        "introspection_endpoint": f"{base}/oauth/introspect",
        "scopes_supported": list(SCOPES),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "client_credentials", "refresh_token"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        "revocation_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        "introspection_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": ["S256"],
        "authorization_response_iss_parameter_supported": False,
        "dpop_signing_alg_values_supported": dpop.ALGORITHMS,
    }


class ClientController(Controller):
    path = "/api/v1/oauth/clients"
    tags = ["oauth"]

    @get("/", summary="My organisation's OAuth clients (admins)")
    async def list_clients(self, db_session: DbSession, principal: CurrentPrincipal) -> list[ClientRead]:
        return [ClientRead.model_validate(c) for c in await service.list_clients(db_session, principal)]

    @post("/", summary="Register a client; the secret is shown only in this answer")
    async def register(
        self, db_session: DbSession, principal: CurrentPrincipal, data: JSONBody[ClientCreate]
    ) -> ClientWithSecret:
        client, secret = await service.register_client(db_session, principal, data)
        return ClientWithSecret.from_model(client, secret)

    @post(
        "/{client_id:uuid}/rotate-secret",
        status_code=HTTP_200_OK,
        summary="New secret, shown once",
    )
    async def rotate_secret(
        self, db_session: DbSession, principal: CurrentPrincipal, client_id: FromPath[uuid.UUID]
    ) -> ClientWithSecret:
        client, secret = await service.rotate_secret(db_session, principal, client_id)
        return ClientWithSecret.from_model(client, secret)

    @post(
        "/{client_id:uuid}/revoke",
        status_code=HTTP_200_OK,
        summary="Revoke a client and its tokens",
    )
    async def revoke(
        self, db_session: DbSession, principal: CurrentPrincipal, client_id: FromPath[uuid.UUID]
    ) -> ClientRead:
        return ClientRead.model_validate(await service.revoke_client(db_session, principal, client_id))
