"""HTTP: sign-in and sign-out, who am I, organisations and their users."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, Response, get, post, put
from litestar.datastructures import CacheControlHeader, Cookie
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT
from sqlalchemy.ext.asyncio import AsyncSession

from infrashare.accounts import service
from infrashare.accounts.models import Organisation, User
from infrashare.accounts.schemas import (
    JurisdictionUpdate,
    LoginRequest,
    Me,
    OrganisationCreate,
    OrganisationRead,
    UserCreate,
    UserRead,
)
from infrashare.core.authentication import SESSION_COOKIE
from infrashare.core.clock import utc_now
from infrashare.core.contract import ANY_SCOPE, problems
from infrashare.core.db import Database, DbSession
from infrashare.core.errors import InvalidInput
from infrashare.core.principal import CurrentPrincipal, Principal
from infrashare.core.scopes import requires
from infrashare.core.settings import AppSettings

NO_STORE = CacheControlHeader(no_store=True)


def _session_cookie(settings: AppSettings, value: str, max_age: int) -> Cookie:
    return Cookie(
        key=SESSION_COOKIE,
        value=value,
        max_age=max_age,
        httponly=True,
        secure=settings.secure_cookies,
        samesite="lax",
        path="/",
    )


async def _organisation_read(db: AsyncSession, organisation: Organisation) -> OrganisationRead:
    return OrganisationRead.from_model(organisation, await service.jurisdiction_of(db, organisation.id))


async def _me(db: AsyncSession, principal: Principal) -> Me:
    user = await db.get(User, principal.user_id) if principal.user_id else None
    organisation = await service.get_organisation(db, principal.organisation_id)
    return Me.from_model(principal, user, await _organisation_read(db, organisation))


class AuthController(Controller):
    path = "/api/v1/auth"
    tags = ["accounts"]

    @post(
        "/login",
        status_code=HTTP_200_OK,
        summary="Sign in with e-mail and password (sets the session cookie)",
        responses=problems(401, 429),
        cache_control=NO_STORE,
    )
    async def login(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        settings: AppSettings,
        data: JSONBody[LoginRequest],
    ) -> Response[Me]:
        if request.content_type[0] != "application/json":
            # A cross-site HTML form cannot send JSON: this closes login CSRF.
            raise InvalidInput("Send the credentials as application/json.")
        database: Database = request.app.state.db
        address = request.client.host if request.client else "unknown"
        async with database.writer() as counting:  # kept whatever this request's outcome
            attempt = await service.throttle_sign_in(counting, settings, data.email, address)
            await counting.commit()
        signed_in = await service.sign_in(
            db_session, settings, attempt, data.password, data.organisation_id, utc_now()
        )
        principal = await service.session_principal(db_session, signed_in.token, utc_now())
        assert principal is not None
        cookie = _session_cookie(settings, signed_in.token, settings.session_days * 86400)
        return Response(await _me(db_session, principal), cookies=[cookie])

    @post("/logout", status_code=HTTP_204_NO_CONTENT, summary="Sign out (ends the session)")
    async def logout(
        self, db_session: DbSession, settings: AppSettings, principal: CurrentPrincipal
    ) -> Response[None]:
        await service.sign_out(db_session, principal)
        return Response(None, status_code=HTTP_204_NO_CONTENT, cookies=[_session_cookie(settings, "", 0)])


@get(
    "/api/v1/me",
    tags=["accounts"],
    summary="Who am I: user, organisation, role, CSRF token",
    cache_control=NO_STORE,  # it carries the CSRF token
    **requires(ANY_SCOPE),
)
async def me(db_session: DbSession, principal: CurrentPrincipal) -> Me:
    return await _me(db_session, principal)


class OrganisationController(Controller):
    path = "/api/v1/organisations"
    tags = ["accounts"]

    @get("/", summary="The directory of organisations", **requires(ANY_SCOPE))
    async def list_organisations(
        self, db_session: DbSession, principal: CurrentPrincipal
    ) -> list[OrganisationRead]:
        return [await _organisation_read(db_session, o) for o in await service.list_organisations(db_session)]

    @post("/", summary="Create an organisation (platform admins)")
    async def create_organisation(
        self, db_session: DbSession, principal: CurrentPrincipal, data: JSONBody[OrganisationCreate]
    ) -> OrganisationRead:
        organisation = await service.create_organisation(db_session, principal, data)
        return await _organisation_read(db_session, organisation)

    @get("/{organisation_id:uuid}", summary="One organisation", **requires(ANY_SCOPE))
    async def get_organisation(
        self, db_session: DbSession, principal: CurrentPrincipal, organisation_id: FromPath[uuid.UUID]
    ) -> OrganisationRead:
        return await _organisation_read(
            db_session, await service.get_organisation(db_session, organisation_id)
        )

    @put(
        "/{organisation_id:uuid}/jurisdiction",
        summary="Set a regulator's jurisdiction (platform admins)",
    )
    async def set_jurisdiction(
        self,
        db_session: DbSession,
        principal: CurrentPrincipal,
        organisation_id: FromPath[uuid.UUID],
        data: JSONBody[JurisdictionUpdate],
    ) -> OrganisationRead:
        await service.set_jurisdiction(db_session, principal, organisation_id, data.region_codes)
        return await _organisation_read(
            db_session, await service.get_organisation(db_session, organisation_id)
        )

    @get(
        "/{organisation_id:uuid}/users",
        summary="Users of an organisation (its admins, platform admins)",
    )
    async def list_users(
        self, db_session: DbSession, principal: CurrentPrincipal, organisation_id: FromPath[uuid.UUID]
    ) -> list[UserRead]:
        rows = await service.list_users(db_session, principal, organisation_id)
        return [UserRead.from_model(user, role) for user, role in rows]

    @post("/{organisation_id:uuid}/users", summary="Create a user in an organisation")
    async def create_user(
        self,
        db_session: DbSession,
        principal: CurrentPrincipal,
        organisation_id: FromPath[uuid.UUID],
        data: JSONBody[UserCreate],
    ) -> UserRead:
        user = await service.create_user(db_session, principal, organisation_id, data)
        return UserRead.from_model(user, data.role)

    @post(
        "/{organisation_id:uuid}/users/{user_id:uuid}/deactivate",
        status_code=HTTP_200_OK,
        summary="Deactivate a user",
    )
    async def deactivate_user(
        self,
        db_session: DbSession,
        principal: CurrentPrincipal,
        organisation_id: FromPath[uuid.UUID],
        user_id: FromPath[uuid.UUID],
    ) -> UserRead:
        user, role = await service.set_user_active(db_session, principal, organisation_id, user_id, False)
        return UserRead.from_model(user, role)

    @post(
        "/{organisation_id:uuid}/users/{user_id:uuid}/activate",
        status_code=HTTP_200_OK,
        summary="Reactivate a user",
    )
    async def activate_user(
        self,
        db_session: DbSession,
        principal: CurrentPrincipal,
        organisation_id: FromPath[uuid.UUID],
        user_id: FromPath[uuid.UUID],
    ) -> UserRead:
        user, role = await service.set_user_active(db_session, principal, organisation_id, user_id, True)
        return UserRead.from_model(user, role)
