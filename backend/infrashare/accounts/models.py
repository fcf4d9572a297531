"""Organisations, users, their memberships and web sign-in sessions."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from infrashare.core.db import Base, Timestamps, UUIDPrimaryKey
from infrashare.core.principal import OrganisationKind, Role


class Industry(enum.StrEnum):
    TELECOM = "telecom"
    POWER = "power"
    RAIL_METRO = "rail_metro"
    HIGHWAY = "highway"
    WATER = "water"
    GAS = "gas"
    HEATING = "heating"
    DRAINAGE = "drainage"
    PUBLIC_SECURITY = "public_security"
    BROADCASTING = "broadcasting"
    OTHER = "other"


class Organisation(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "organisations"

    name: Mapped[str] = mapped_column(String(200), unique=True)
    industry: Mapped[Industry]
    kind: Mapped[OrganisationKind]
    is_active: Mapped[bool] = mapped_column(default=True)


class JurisdictionRegion(Base):
    """One administrative division a regulator oversees (descendants included)."""

    __tablename__ = "jurisdiction_regions"

    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), primary_key=True)


class User(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "users"

    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    locale: Mapped[str] = mapped_column(String(8), default="zh-CN")
    is_active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[datetime | None]


class Membership(UUIDPrimaryKey, Base):
    __tablename__ = "memberships"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[Role]

    __table_args__ = (UniqueConstraint("user_id", "organisation_id"),)


class WebSession(Base):
    """A signed-in browser. The cookie holds a random token; only its SHA-256 is stored."""

    __tablename__ = "web_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)
