"""Authentication of requests: the session cookie (with CSRF for writes); bearer tokens later.

Every handler that needs a caller asks for ``principal``; the same checks apply whichever way
the caller came in.
"""

from __future__ import annotations

import hmac
from typing import Any

from litestar import Request

from infrashare.accounts.principal import Principal
from infrashare.accounts.service import session_principal
from infrashare.core.db import SAFE_METHODS, DbSession, utc_now
from infrashare.core.errors import CsrfFailed, NotAuthenticated

SESSION_COOKIE = "infrashare_session"
CSRF_HEADER = "X-CSRF-Token"


async def provide_principal(request: Request[Any, Any, Any], db_session: DbSession) -> Principal:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise NotAuthenticated("Sign in first.", headers={"WWW-Authenticate": 'Bearer realm="infrashare"'})
    principal = await session_principal(db_session, token, utc_now())
    if principal is None:
        raise NotAuthenticated("Your session has ended; sign in again.")
    if request.method not in SAFE_METHODS:
        _check_csrf(request, principal)
    return principal


def _check_csrf(request: Request[Any, Any, Any], principal: Principal) -> None:
    sent = request.headers.get(CSRF_HEADER, "")
    if not principal.csrf_token or not hmac.compare_digest(sent, principal.csrf_token):
        raise CsrfFailed(f"Cookie-authenticated writes need the {CSRF_HEADER} header from /api/v1/me.")
