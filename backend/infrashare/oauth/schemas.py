"""Client registration bodies."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

from pydantic import AnyUrl, BaseModel, ConfigDict, Field, StringConstraints, field_validator

from infrashare.core.scopes import SCOPES
from infrashare.oauth.models import ClientKind

if TYPE_CHECKING:
    from infrashare.oauth.models import OAuthClient


class ClientCreate(BaseModel):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    kind: ClientKind = ClientKind.CONFIDENTIAL
    redirect_uris: list[AnyUrl] = Field(default_factory=list, max_length=10)
    scopes: list[str] = Field(min_length=1)

    @field_validator("scopes")
    @classmethod
    def known_scopes(cls, scopes: list[str]) -> list[str]:
        unknown = sorted(set(scopes) - set(SCOPES))
        if unknown:
            raise ValueError(f"unknown scopes: {', '.join(unknown)}")
        return sorted(set(scopes))

    @field_validator("redirect_uris")
    @classmethod
    def safe_redirects(cls, uris: list[AnyUrl]) -> list[AnyUrl]:
        for uri in uris:
            local = uri.host in ("127.0.0.1", "localhost", "[::1]")
            if uri.scheme != "https" and not (uri.scheme == "http" and local):
                raise ValueError(f"{uri} must use https (http only on loopback)")
            if uri.fragment:
                raise ValueError(f"{uri} must not have a fragment")
        return uris


class ClientRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    client_id: str
    name: str
    kind: ClientKind
    redirect_uris: list[str]
    scope: str
    created_at: datetime
    secret_rotated_at: datetime | None
    revoked_at: datetime | None


class ClientWithSecret(ClientRead):
    client_secret: str | None = Field(description="Shown once; only its hash is stored.")

    @classmethod
    def from_model(cls, client: OAuthClient, secret: str | None = None) -> ClientWithSecret:
        return cls.model_validate({**ClientRead.model_validate(client).model_dump(), "client_secret": secret})


class OAuthError(BaseModel):
    """RFC 6749 §5.2: the OAuth endpoints answer errors in OAuth's own shape, not as problems."""

    error: str = Field(description="invalid_request, invalid_client, invalid_grant, unauthorized_client, …")
    error_description: str | None = None


class TokenAnswer(BaseModel):
    """RFC 6749 §5.1 (and RFC 9449 when the token is DPoP-bound)."""

    access_token: str
    token_type: str = Field(description="Bearer, or DPoP for a DPoP-bound token")
    expires_in: int
    scope: str
    refresh_token: str | None = None
