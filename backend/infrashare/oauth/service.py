"""Client registration by organisation admins, and the keys that sign access tokens."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime, timedelta

from joserfc.jwk import KeySet, RSAKey
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from infrashare.audit.service import record_event
from infrashare.core.clock import utc_now
from infrashare.core.errors import Conflict, FieldError, InvalidInput, NotFound, PermissionDenied
from infrashare.core.principal import OrganisationKind, Principal, Role
from infrashare.oauth.models import ClientKind, OAuthClient, OAuthToken, SigningKey, digest
from infrashare.oauth.schemas import ClientCreate


def _require_client_admin(principal: Principal) -> None:
    if principal.organisation_kind == OrganisationKind.PLATFORM:
        raise PermissionDenied("OAuth clients belong to operators and regulators.")
    if principal.role not in (Role.OPERATOR_ADMIN, Role.REGULATOR) or principal.client_id:
        raise PermissionDenied("Only an organisation's admins, signed in, manage its OAuth clients.")


def _client_snapshot(client: OAuthClient) -> dict[str, object]:
    return {
        "name": client.name,
        "kind": client.kind,
        "redirect_uris": client.redirect_uris,
        "scope": client.scope,
    }


async def register_client(
    db: AsyncSession, principal: Principal, data: ClientCreate
) -> tuple[OAuthClient, str | None]:
    _require_client_admin(principal)
    if data.kind == ClientKind.PUBLIC and not data.redirect_uris:
        raise InvalidInput(
            "A public client signs users in, so it needs a redirect URI.",
            errors=[FieldError("redirect_uris", "at least one for a public client")],
        )
    secret = secrets.token_urlsafe(32) if data.kind == ClientKind.CONFIDENTIAL else None
    client = OAuthClient(
        client_id=f"isc_{secrets.token_urlsafe(18)}",
        organisation_id=principal.organisation_id,
        name=data.name,
        kind=data.kind,
        secret_hash=digest(secret) if secret else None,
        redirect_uris=[str(uri) for uri in data.redirect_uris],
        scope=" ".join(data.scopes),
        created_by=principal.user_id,
    )
    db.add(client)
    await db.flush()
    await record_event(
        db,
        principal.actor,
        "oauth_client.registered",
        "oauth_client",
        client.id,
        after=_client_snapshot(client),
    )
    return client, secret


async def list_clients(db: AsyncSession, principal: Principal) -> list[OAuthClient]:
    _require_client_admin(principal)
    query = (
        select(OAuthClient)
        .where(OAuthClient.organisation_id == principal.organisation_id)
        .order_by(OAuthClient.created_at)
    )
    return list((await db.scalars(query)).all())


async def _own_client(db: AsyncSession, principal: Principal, client_id: uuid.UUID) -> OAuthClient:
    _require_client_admin(principal)
    client = await db.get(OAuthClient, client_id)
    if client is None or client.organisation_id != principal.organisation_id:
        raise NotFound(f"OAuth client {client_id} does not exist.")
    return client


async def rotate_secret(
    db: AsyncSession, principal: Principal, client_id: uuid.UUID
) -> tuple[OAuthClient, str]:
    client = await _own_client(db, principal, client_id)
    if client.kind != ClientKind.CONFIDENTIAL or client.revoked_at:
        raise Conflict("Only an active confidential client has a secret to rotate.")
    secret = secrets.token_urlsafe(32)
    client.secret_hash, client.secret_rotated_at = digest(secret), utc_now()
    await record_event(db, principal.actor, "oauth_client.secret_rotated", "oauth_client", client.id)
    return client, secret


async def revoke_client(db: AsyncSession, principal: Principal, client_id: uuid.UUID) -> OAuthClient:
    """Revokes the client and every token it holds."""
    client = await _own_client(db, principal, client_id)
    if client.revoked_at is None:
        now = utc_now()
        client.revoked_at = now
        await db.execute(
            update(OAuthToken)
            .where(OAuthToken.client_id == client.client_id, OAuthToken.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        await record_event(db, principal.actor, "oauth_client.revoked", "oauth_client", client.id)
    return client


# --- signing keys (synchronous: used from the Authlib server's worker thread too) ---


def _new_signing_key(now: datetime) -> SigningKey:
    kid = f"{now:%Y%m%d%H%M%S}-{secrets.token_hex(4)}"
    key = RSAKey.generate_key(2048, parameters={"kid": kid, "use": "sig", "alg": "RS256"}, private=True)
    return SigningKey(
        kid=kid,
        private_jwk=key.as_dict(private=True),
        public_jwk=key.as_dict(private=False),
        created_at=now,
    )


def signing_key(session: Session) -> RSAKey:
    """The newest unretired key; made on first use."""
    row = session.scalars(
        select(SigningKey)
        .where(SigningKey.retired_at.is_(None))
        .order_by(SigningKey.created_at.desc())
        .limit(1)
    ).first()
    if row is None:
        row = _new_signing_key(utc_now())
        session.add(row)
        session.flush()
    return RSAKey.import_key(row.private_jwk)


def rotate_signing_key(session: Session, keep_old_for: timedelta) -> SigningKey:
    """A new key signs from now on; older keys keep verifying until ``keep_old_for`` has passed."""
    now = utc_now()
    session.execute(
        update(SigningKey).where(SigningKey.retired_at.is_(None)).values(retired_at=now + keep_old_for)
    )
    row = _new_signing_key(now)
    session.add(row)
    session.flush()
    return row


def verification_keys(session: Session) -> KeySet:
    """Every key a token in flight may have been signed with (published at the JWKS endpoint)."""
    now = utc_now()
    rows = session.scalars(
        select(SigningKey).where((SigningKey.retired_at.is_(None)) | (SigningKey.retired_at > now))
    ).all()
    return KeySet([RSAKey.import_key(row.public_jwk) for row in rows])
