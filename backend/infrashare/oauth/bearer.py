"""The resource side: turning an ``Authorization: Bearer`` JWT into a Principal.

The JWT's signature and claims are checked against our published keys, and its row is read
so that a revoked token (or one of a revoked client or deactivated user) stops at once.
"""

from __future__ import annotations

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, RSAKey
from joserfc.jwt import JWTClaimsRegistry
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from infrashare.accounts.models import Membership, Organisation, User
from infrashare.accounts.service import principal_jurisdiction
from infrashare.core.clock import utc_now
from infrashare.core.errors import NotAuthenticated
from infrashare.core.principal import OrganisationKind, Principal, Role
from infrashare.core.settings import Settings
from infrashare.oauth.models import OAuthClient, OAuthToken, SigningKey, digest

MACHINE_ROLE = {OrganisationKind.OPERATOR: Role.OPERATOR_MEMBER, OrganisationKind.REGULATOR: Role.REGULATOR}


class InvalidToken(NotAuthenticated):
    slug = "invalid-token"
    title = "Invalid access token"


def _rejected(detail: str) -> InvalidToken:
    header = f'Bearer realm="infrashare", error="invalid_token", error_description="{detail}"'
    return InvalidToken(detail, headers={"WWW-Authenticate": header})


async def _keys(db: AsyncSession) -> KeySet:
    now = utc_now()
    rows = await db.scalars(
        select(SigningKey).where((SigningKey.retired_at.is_(None)) | (SigningKey.retired_at > now))
    )
    return KeySet([RSAKey.import_key(row.public_jwk) for row in rows])


async def _verified_claims(db: AsyncSession, settings: Settings, token: str) -> dict[str, object]:
    try:
        decoded = jwt.decode(token, await _keys(db), algorithms=["RS256"])
        if decoded.header.get("typ") != "at+jwt":
            raise _rejected("not an access token")
        JWTClaimsRegistry(
            iss={"essential": True, "value": settings.public_base_url},
            aud={"essential": True, "value": settings.api_audience},
            exp={"essential": True},
            jti={"essential": True},
        ).validate(decoded.claims)
    except (JoseError, ValueError) as exc:
        raise _rejected(f"the token does not verify: {type(exc).__name__}") from exc
    return decoded.claims


async def token_principal(db: AsyncSession, settings: Settings, token: str) -> Principal:
    await _verified_claims(db, settings, token)
    row = (
        await db.execute(
            select(OAuthToken, Organisation)
            .join(OAuthClient, OAuthClient.client_id == OAuthToken.client_id)
            .join(Organisation, Organisation.id == OAuthToken.organisation_id)
            .where(
                OAuthToken.access_token_hash == digest(token),
                OAuthToken.revoked_at.is_(None),
                OAuthClient.revoked_at.is_(None),
                Organisation.is_active.is_(True),
            )
        )
    ).first()
    if row is None or row[0].access_expires_at <= utc_now():
        raise _rejected("the token was revoked or has expired")
    issued, organisation = row
    role = await _role(db, issued, organisation)
    return Principal(
        user_id=issued.user_id,
        organisation_id=organisation.id,
        organisation_kind=organisation.kind,
        role=role,
        jurisdiction=await principal_jurisdiction(db, organisation.id, organisation.kind),
        client_id=issued.client_id,
        scopes=frozenset(issued.scope.split()),
        expires_at=issued.access_expires_at,
    )


async def _role(db: AsyncSession, issued: OAuthToken, organisation: Organisation) -> Role:
    if issued.user_id is None:
        role = MACHINE_ROLE.get(organisation.kind)
        if role is None:
            raise _rejected("this organisation cannot hold machine tokens")
        return role
    membership_role = await db.scalar(
        select(Membership.role)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.user_id == issued.user_id,
            Membership.organisation_id == organisation.id,
            User.is_active.is_(True),
        )
    )
    if membership_role is None:
        raise _rejected("the user behind this token is no longer active here")
    return membership_role
