"""Authentication of requests: a bearer token (partner systems) or the session cookie (web UI).

Every handler that needs a caller asks for ``principal``; both ways in reach the same handlers
and the same permission checks. Bearer tokens must also carry the scope the handler declares
(see ``core.scopes.requires``); cookie writes must carry the CSRF header.

Which session or token a credential names is the features' business (``accounts.service.
session_principal``, ``oauth.bearer.token_principal``); ``app.py`` hands them in as ``WaysIn``,
so core imports neither. A lookup is remembered for a moment (``core.principal_cache``).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from litestar import Request
from sqlalchemy.ext.asyncio import AsyncSession

from infrashare.core.clock import utc_now
from infrashare.core.contract import ANY_SCOPE
from infrashare.core.db import SAFE_METHODS, Database, DbSession
from infrashare.core.errors import CsrfFailed, NotAuthenticated, PermissionDenied
from infrashare.core.principal import Principal
from infrashare.core.ratelimit import spend
from infrashare.core.settings import AppSettings, Settings

if TYPE_CHECKING:
    from infrashare.core.principal_cache import PrincipalCache

SESSION_COOKIE = "infrashare_session"
CSRF_HEADER = "X-CSRF-Token"

SessionLookup = Callable[[AsyncSession, str, datetime], Awaitable[Principal | None]]
"""The principal behind a session cookie's secret at a time; None when there is none (any more)."""
TokenLookup = Callable[[AsyncSession, Settings, str], Awaitable[Principal]]
"""The principal behind a bearer token; raises ``NotAuthenticated`` when there is none."""


@dataclass(frozen=True)
class WaysIn:
    """How credentials become principals; ``app.state.ways_in``, set by ``create_app``."""

    session: SessionLookup
    token: TokenLookup


def token_digest(token: str) -> str:
    """What is stored of a secret (session cookie) and what remembered lookups are keyed by."""
    return hashlib.sha256(token.encode()).hexdigest()


async def cookie_principal(
    request: Request[Any, Any, Any], db: AsyncSession, now: datetime
) -> Principal | None:
    """The person behind the session cookie, if any (no CSRF check, no cache): for pages outside
    the API such as the OAuth consent page."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    ways_in: WaysIn = request.app.state.ways_in
    return await ways_in.session(db, token, now)


class InsufficientScope(PermissionDenied):
    slug = "insufficient-scope"
    title = "Token lacks the scope"


async def provide_principal(
    request: Request[Any, Any, Any], db_session: DbSession, settings: AppSettings
) -> Principal:
    database: Database = request.app.state.db
    if request.method in SAFE_METHODS:
        principal = await _authenticate(request, db_session, settings)
    else:
        # Read outside the request's unit of work: the quota then counts in a transaction of its
        # own before this request's takes SQLite's write lock.
        async with database.statement_reader() as reader:
            principal = await _authenticate(request, reader, settings)
    if principal.client_id:
        await spend(database, f"client:{principal.client_id}", settings.rate_limit_client_per_minute)
    if principal.user_id:
        await spend(database, f"user:{principal.user_id}", settings.rate_limit_user_per_minute)
    return principal


async def _authenticate(
    request: Request[Any, Any, Any], db_session: AsyncSession, settings: AppSettings
) -> Principal:
    principals: PrincipalCache = request.app.state.principals
    ways_in: WaysIn = request.app.state.ways_in
    now, reuse = utc_now(), request.method in SAFE_METHODS  # writes always ask the database
    authorization = request.headers.get("Authorization", "")
    if authorization[:7].lower() == "bearer ":
        access_token = authorization[7:].strip()
        caller = await principals.principal(
            f"bearer {access_token}", lambda: ways_in.token(db_session, settings, access_token), now, reuse
        )
        assert caller is not None  # token_principal raises instead
        _check_scope(request, caller)
        return caller
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise NotAuthenticated("Sign in first.", headers={"WWW-Authenticate": 'Bearer realm="infrashare"'})
    principal = await principals.principal(
        f"cookie {token}", lambda: ways_in.session(db_session, token, now), now, reuse
    )
    if principal is None:
        raise NotAuthenticated("Your session has ended; sign in again.")
    if not reuse:
        _check_csrf(request, principal)
    return principal


def _check_scope(request: Request[Any, Any, Any], principal: Principal) -> None:
    required = request.route_handler.opt.get("scope")
    if required == ANY_SCOPE or (required and principal.scopes and required in principal.scopes):
        return
    if required is None:
        detail, challenge = "This operation is for people signed in to the web UI, not API tokens.", ""
    else:
        detail, challenge = f"This operation needs the scope {required}.", f', scope="{required}"'
    header = f'Bearer realm="infrashare", error="insufficient_scope"{challenge}'
    raise InsufficientScope(detail, headers={"WWW-Authenticate": header}, required_scope=required)


def _check_csrf(request: Request[Any, Any, Any], principal: Principal) -> None:
    sent = request.headers.get(CSRF_HEADER, "")
    if not principal.csrf_token or not hmac.compare_digest(sent, principal.csrf_token):
        raise CsrfFailed(f"Cookie-authenticated writes need the {CSRF_HEADER} header from /api/v1/me.")
