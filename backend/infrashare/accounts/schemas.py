"""Request and response bodies for sign-in, organisations and users."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from infrashare.accounts.models import Industry
from infrashare.core.principal import OrganisationKind, Role
from infrashare.regions.schemas import RegionCode

if TYPE_CHECKING:
    from infrashare.accounts.models import Organisation, User
    from infrashare.core.principal import Principal

# Length and strength are one rule with reasons the UI words: accounts/passwords.py.
Password = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class ReadModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class LoginRequest(BaseModel):
    email: EmailStr
    password: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    organisation_id: uuid.UUID | None = Field(
        default=None, description="Which organisation to act for, when the user belongs to several."
    )


class OrganisationRead(ReadModel):
    id: uuid.UUID
    name: str
    industry: Industry
    kind: OrganisationKind
    is_active: bool
    jurisdiction: list[str] = Field(default_factory=list, description="Region codes (regulators only).")

    @classmethod
    def from_model(cls, organisation: Organisation, jurisdiction: list[str]) -> OrganisationRead:
        return cls(
            id=organisation.id,
            name=organisation.name,
            industry=organisation.industry,
            kind=organisation.kind,
            is_active=organisation.is_active,
            jurisdiction=jurisdiction,
        )


class OrganisationCreate(BaseModel):
    name: Name
    industry: Industry
    kind: OrganisationKind = OrganisationKind.OPERATOR


class JurisdictionUpdate(BaseModel):
    region_codes: list[RegionCode] = Field(min_length=1, max_length=500)


class UserRead(ReadModel):
    id: uuid.UUID
    email: str
    display_name: str
    locale: str
    is_active: bool
    role: Role
    created_at: datetime
    last_login_at: datetime | None

    @classmethod
    def from_model(cls, user: User, role: Role) -> UserRead:
        """``role`` is the user's role in the organisation asked about (memberships hold it)."""
        return cls(
            id=user.id,
            email=user.email,
            display_name=user.display_name,
            locale=user.locale,
            is_active=user.is_active,
            role=role,
            created_at=user.created_at,
            last_login_at=user.last_login_at,
        )


class UserCreate(BaseModel):
    email: EmailStr
    display_name: Name
    password: Password
    role: Role
    locale: Annotated[str, StringConstraints(pattern=r"^(zh-CN|en)$")] = "zh-CN"


class Me(BaseModel):
    user: UserRead | None = Field(description="The person; null for a machine (client credentials) token.")
    organisation: OrganisationRead
    role: Role
    client_id: str | None = Field(default=None, description="The OAuth client, for bearer tokens.")
    scopes: list[str] | None = Field(
        default=None, description="The token's scopes; null for the web session."
    )
    csrf_token: str | None = Field(
        default=None, description="Send it back as the X-CSRF-Token header on cookie-authenticated writes."
    )

    @classmethod
    def from_model(cls, principal: Principal, user: User | None, organisation: OrganisationRead) -> Me:
        return cls(
            user=UserRead.from_model(user, principal.role) if user else None,
            organisation=organisation,
            role=principal.role,
            client_id=principal.client_id,
            scopes=sorted(principal.scopes) if principal.scopes is not None else None,
            csrf_token=principal.csrf_token,
        )
