"""Authlib grants over our models: authorization code with mandatory S256 PKCE, refresh with rotation."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc6749.errors import InvalidGrantError, InvalidRequestError
from authlib.oauth2.rfc7636 import CodeChallenge
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from infrashare.accounts.models import Membership, User
from infrashare.core.clock import utc_now
from infrashare.oauth import dpop
from infrashare.oauth.models import ClientKind, OAuthAuthorizationCode, OAuthClient, OAuthToken, digest

CODE_LIFETIME = timedelta(minutes=5)


@dataclass(frozen=True)
class GrantUser:
    """The person an app acts for, in the organisation they were signed in to."""

    user_id: uuid.UUID
    organisation_id: uuid.UUID

    def get_user_id(self) -> str:
        return str(self.user_id)


class RequiredS256(CodeChallenge):
    """PKCE for every client, confidential ones too, and only S256 (RFC 9700 §2.1.1)."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("PKCE is required: send code_challenge and code_challenge_method=S256.")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("code_challenge_method must be S256.")
        super().validate_code_challenge(grant, redirect_uri)


def _session(grant: Any) -> Session:
    session: Session = grant.server.session
    return session


def dpop_proof(grant: Any) -> dpop.DPoPProof | None:
    """The token request's DPoP proof, verified and remembered once; None when it sent none."""
    request = grant.request
    if not hasattr(request, "dpop"):
        header = request.headers.get(dpop.HEADER)
        proof = None
        if header:
            now = utc_now()
            proof = dpop.verify_proof(header, request.method, request.uri, now)
            dpop.remember(_session(grant), proof, now)
        request.dpop = proof
    found: dpop.DPoPProof | None = request.dpop
    return found


def active_member(session: Session, user_id: uuid.UUID, organisation_id: uuid.UUID) -> GrantUser | None:
    row = session.execute(
        select(Membership.id)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.user_id == user_id,
            Membership.organisation_id == organisation_id,
            User.is_active.is_(True),
        )
    ).first()
    return GrantUser(user_id, organisation_id) if row else None


class AuthorizationCodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]

    def validate_token_request(self) -> None:
        super().validate_token_request()
        proof = dpop_proof(self)
        client: OAuthClient = self.request.client
        if (
            proof is None
            and client.kind == ClientKind.PUBLIC
            and self.server.settings.oauth_public_clients_need_dpop
        ):
            raise dpop.InvalidDPoPProof("Public clients must send a DPoP proof to get a refresh token.")

    def save_authorization_code(self, code: str, request: Any) -> None:
        data = request.payload.data
        user: GrantUser = request.user
        _session(self).add(
            OAuthAuthorizationCode(
                code_hash=digest(code),
                client_id=request.client.client_id,
                user_id=user.user_id,
                organisation_id=user.organisation_id,
                redirect_uri=request.payload.redirect_uri,
                scope=request.payload.scope or "",
                code_challenge=data["code_challenge"],
                code_challenge_method=data["code_challenge_method"],
                expires_at=utc_now() + CODE_LIFETIME,
            )
        )

    def query_authorization_code(self, code: str, client: OAuthClient) -> OAuthAuthorizationCode | None:
        row = (
            _session(self)
            .scalars(
                select(OAuthAuthorizationCode).where(
                    OAuthAuthorizationCode.code_hash == digest(code),
                    OAuthAuthorizationCode.client_id == client.client_id,
                )
            )
            .first()
        )
        if row is None or row.expires_at <= utc_now():
            return None
        if row.used_at is not None:
            # A code used twice means it leaked: revoke what the first use issued (RFC 6749 §4.1.2).
            _revoke_tokens_of_code(self, row)
            return None
        return row

    def delete_authorization_code(self, authorization_code: OAuthAuthorizationCode) -> None:
        authorization_code.used_at = utc_now()

    def authenticate_user(self, authorization_code: OAuthAuthorizationCode) -> GrantUser | None:
        self.request.code_row = authorization_code
        return active_member(_session(self), authorization_code.user_id, authorization_code.organisation_id)


def _revoke_tokens_of_code(grant: Any, code: OAuthAuthorizationCode) -> None:
    # Tokens from a code carry the code's id as their family (see save_token).
    grant.server.revoke_and_keep(
        update(OAuthToken).where(OAuthToken.family_id == code.id).values(revoked_at=utc_now())
    )


class RefreshTokenGrant(grants.RefreshTokenGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]
    INCLUDE_NEW_REFRESH_TOKEN = True

    def authenticate_refresh_token(self, refresh_token: str) -> OAuthToken | None:
        row = (
            _session(self)
            .scalars(select(OAuthToken).where(OAuthToken.refresh_token_hash == digest(refresh_token)))
            .first()
        )
        if row is None or row.revoked_at is not None:
            return None
        self._check_binding(row)
        if row.refresh_used_at is not None:
            # Reuse of a rotated refresh token: someone holds a copy. End the whole family.
            self.server.revoke_and_keep(
                update(OAuthToken).where(OAuthToken.family_id == row.family_id).values(revoked_at=utc_now())
            )
            return None
        if row.refresh_expires_at is None or row.refresh_expires_at <= utc_now():
            return None
        return row

    def _check_binding(self, row: OAuthToken) -> None:
        """A DPoP-bound refresh token needs a proof signed with its key; checked before reuse
        detection, so a thief holding the token without the key cannot even end its family."""
        proof = dpop_proof(self)
        if row.dpop_jkt is None:
            return
        if proof is None:
            raise dpop.InvalidDPoPProof(
                "This refresh token is bound to a DPoP key: send a proof signed with it."
            )
        if proof.jkt != row.dpop_jkt:
            raise InvalidGrantError("The DPoP proof is signed with another key than this refresh token's.")

    def authenticate_user(self, refresh_token: OAuthToken) -> GrantUser | None:
        if refresh_token.user_id is None:
            return None
        return active_member(_session(self), refresh_token.user_id, refresh_token.organisation_id)

    def revoke_old_credential(self, refresh_token: OAuthToken) -> None:
        # Conditional, so two concurrent uses of one refresh token cannot both rotate it.
        result = _session(self).execute(
            update(OAuthToken)
            .where(OAuthToken.id == refresh_token.id, OAuthToken.refresh_used_at.is_(None))
            .values(refresh_used_at=utc_now())
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise InvalidGrantError("This refresh token was used already.")
