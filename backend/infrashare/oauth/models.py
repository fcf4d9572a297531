"""OAuth clients of organisations, authorization codes, issued tokens and signing keys."""

from __future__ import annotations

import enum
import hashlib
import hmac
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from infrashare.core.clock import utc_now
from infrashare.core.db import Base, UUIDPrimaryKey


def digest(secret: str) -> str:
    """SHA-256 of a random, high-entropy secret (client secrets, codes, tokens)."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ClientKind(enum.StrEnum):
    CONFIDENTIAL = "confidential"
    PUBLIC = "public"


GRANTS_BY_KIND = {
    ClientKind.CONFIDENTIAL: ("client_credentials", "authorization_code", "refresh_token"),
    ClientKind.PUBLIC: ("authorization_code", "refresh_token"),
}


class OAuthClient(UUIDPrimaryKey, Base):
    """A partner system of one organisation. Implements Authlib's ClientMixin."""

    __tablename__ = "oauth_clients"

    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[ClientKind]
    secret_hash: Mapped[str | None] = mapped_column(String(64))
    redirect_uris: Mapped[list[str]] = mapped_column(default=list)
    scope: Mapped[str] = mapped_column(Text)
    created_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    secret_rotated_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    # --- Authlib ClientMixin ---
    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        return self.redirect_uris[0] if len(self.redirect_uris) == 1 else None

    def get_allowed_scope(self, scope: str | None) -> str | None:
        """The scope to grant: all the client holds when it asks for none; None (Authlib answers
        ``invalid_scope``, RFC 6749 §5.2) when it asks for one it does not hold."""
        allowed = set(self.scope.split())
        wanted = scope.split() if scope else sorted(allowed)
        if not set(wanted) <= allowed:
            return None
        return " ".join(wanted)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris  # exact match only (RFC 9700)

    def check_client_secret(self, client_secret: str) -> bool:
        return bool(self.secret_hash) and hmac.compare_digest(self.secret_hash or "", digest(client_secret))

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        if self.kind == ClientKind.PUBLIC:
            return method == "none"
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in GRANTS_BY_KIND[self.kind]


class OAuthAuthorizationCode(UUIDPrimaryKey, Base):
    __tablename__ = "oauth_authorization_codes"

    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("oauth_clients.client_id", ondelete="CASCADE"))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    redirect_uri: Mapped[str] = mapped_column(Text)
    scope: Mapped[str] = mapped_column(Text)
    code_challenge: Mapped[str] = mapped_column(String(128))
    code_challenge_method: Mapped[str] = mapped_column(String(10))
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    # --- Authlib AuthorizationCodeMixin ---
    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope


class OAuthToken(UUIDPrimaryKey, Base):
    """One issuance: a JWT access token (known by its jti and hash) and maybe a refresh token.

    Refresh tokens rotate: each use marks the row used and issues a new row in the same
    ``family_id``; presenting a used refresh token again revokes the whole family.
    """

    __tablename__ = "oauth_tokens"

    client_id: Mapped[str] = mapped_column(
        ForeignKey("oauth_clients.client_id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    scope: Mapped[str] = mapped_column(Text)
    jti: Mapped[str] = mapped_column(String(64), unique=True)
    access_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    refresh_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    family_id: Mapped[uuid.UUID] = mapped_column(index=True)
    issued_at: Mapped[datetime]
    access_expires_at: Mapped[datetime]
    refresh_expires_at: Mapped[datetime | None]
    refresh_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    # RFC 9449: the thumbprint of the DPoP key the refresh token is bound to (None: unbound).
    dpop_jkt: Mapped[str | None] = mapped_column(String(64))

    # --- Authlib TokenMixin ---
    def check_client(self, client: OAuthClient) -> bool:
        return self.client_id == client.client_id

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return int((self.access_expires_at - self.issued_at).total_seconds())

    def is_expired(self) -> bool:
        """The access token's expiry alone (the refresh token's is checked where it is used)."""
        return self.access_expires_at <= utc_now()

    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class SigningKey(Base):
    """A key that signs access tokens. The newest unretired key signs; all unretired keys verify."""

    __tablename__ = "oauth_signing_keys"

    kid: Mapped[str] = mapped_column(String(64), primary_key=True)
    private_jwk: Mapped[dict[str, Any]]
    public_jwk: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]
    retired_at: Mapped[datetime | None]


class DPoPProofSeen(Base):
    """DPoP proofs already used at the token endpoint, kept while their ``iat`` is acceptable."""

    __tablename__ = "oauth_dpop_proofs"

    proof_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(index=True)
