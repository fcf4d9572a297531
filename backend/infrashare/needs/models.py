"""Co-construction and sharing needs: what an operator wants from other industries' infrastructure.

A need's location is GeoJSON in a JSON column (a Point with ``radius_m``, or a route LineString
with ``corridor_m``); ``lon``/``lat`` hold a representative point for map markers and the
``min_*``/``max_*`` columns the geometry's bounding box for filtering. No PostGIS.
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from infrashare.core.db import Base, Timestamps, UUIDPrimaryKey


class NeedStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    PUBLISHED = "published"
    MATCHED = "matched"
    FULFILLED = "fulfilled"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


class NeedPurpose(enum.StrEnum):
    MACRO_SITE = "macro_site"  # 5G / macro base station
    SMALL_CELL = "small_cell"
    FIBRE_ROUTE = "fibre_route"
    EDGE_COMPUTING_ROOM = "edge_computing_room"
    POWER_SUPPLY = "power_supply"
    OTHER = "other"


class NeedMode(enum.StrEnum):
    SHARE = "share"  # use an existing asset
    CO_BUILD = "co_build"  # build into a planned asset (reserved space in new works)


class WantedKind(enum.StrEnum):
    """Asset kinds a need can ask for.

    TODO(merge): the asset registry defines the same strings as its asset kind; unify the two
    enums when the assets branch is merged.
    """

    TOWER = "tower"
    POLE = "pole"
    DUCT = "duct"
    CABLE = "cable"
    MACHINE_ROOM = "machine_room"
    RESERVED_SPACE = "reserved_space"


class Need(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "needs"

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    created_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[NeedPurpose]
    mode: Mapped[NeedMode]
    description: Mapped[str] = mapped_column(Text, default="")
    geometry: Mapped[dict[str, Any]]
    radius_m: Mapped[int | None]
    corridor_m: Mapped[int | None]
    lon: Mapped[float]
    lat: Mapped[float]
    min_lon: Mapped[float]
    min_lat: Mapped[float]
    max_lon: Mapped[float]
    max_lat: Mapped[float]
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    quantity: Mapped[int]
    needed_by: Mapped[date] = mapped_column(index=True)
    contact_name: Mapped[str] = mapped_column(String(100), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")

    status: Mapped[NeedStatus] = mapped_column(default=NeedStatus.DRAFT)
    status_changed_at: Mapped[datetime]
    # Milestones for the review queue, visibility and statistics. ``submitted_at`` is the first
    # submission, ``last_submitted_at`` the latest (resubmissions after a return).
    submitted_at: Mapped[datetime | None]
    last_submitted_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    returned_at: Mapped[datetime | None]
    matched_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]  # fulfilled, withdrawn or expired
    # Set when a returned need is edited; resubmitting needs it (returned → submitted after edits).
    edited_since_return: Mapped[bool] = mapped_column(default=False)
    last_return_reason: Mapped[str | None] = mapped_column(Text)
    reviewed_by_organisation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisations.id"))

    kinds: Mapped[list[NeedKind]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="NeedKind.kind"
    )

    __table_args__ = (Index("ix_needs_status_region", "status", "region_code"),)

    @property
    def wanted_kinds(self) -> list[WantedKind]:
        return [row.kind for row in self.kinds]


class NeedKind(Base):
    """One wanted asset kind of a need (a row each, so lists filter by kind on both databases)."""

    __tablename__ = "need_kinds"

    need_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[WantedKind] = mapped_column(primary_key=True, index=True)


class NeedRemark(UUIDPrimaryKey, Base):
    """A human reason given with a transition (return, withdrawal…), shown on the need's timeline."""

    __tablename__ = "need_remarks"

    need_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[NeedStatus]
    to_status: Mapped[NeedStatus]
    text: Mapped[str] = mapped_column(Text)
    author_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    author_organisation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisations.id"))
    created_at: Mapped[datetime]
