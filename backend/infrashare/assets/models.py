"""Assets (the supply side of the marketplace) and bulk-import jobs.

Geometry is stored as GeoJSON in a JSON column; the plain float columns next to it (a
representative point and the bounding box) exist for filtering without PostGIS.
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from infrashare.core.db import Base, Timestamps, UUIDPrimaryKey


class AssetKind(enum.StrEnum):
    TOWER = "tower"
    POLE = "pole"
    DUCT = "duct"
    CABLE = "cable"
    MACHINE_ROOM = "machine_room"
    RESERVED_SPACE = "reserved_space"


class AssetStatus(enum.StrEnum):
    PLANNED = "planned"
    AVAILABLE = "available"
    FULL = "full"
    RETIRED = "retired"


class Visibility(enum.StrEnum):
    """Who may see an asset besides its owner (always at ~1 km precision, see visibility.py)."""

    PUBLIC = "public"  # every signed-in user
    OPERATORS = "operators"  # users of operator organisations
    REGULATORS = "regulators"  # regulators (and platform admins)


class Asset(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "assets"

    # Indexed by the unique (owner, external_id) below, which leads with the owner. A separate
    # owner index tempted PostgreSQL, before it had statistics on a freshly imported table, to
    # fetch every asset of the owner and filter by external_id: quadratic imports.
    owner_organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE")
    )
    kind: Mapped[AssetKind] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    geometry: Mapped[dict[str, Any]]
    # Representative point (the Point itself, the middle vertex of a route) and bounding box.
    lon: Mapped[float]
    lat: Mapped[float]
    min_lon: Mapped[float]
    min_lat: Mapped[float]
    max_lon: Mapped[float]
    max_lat: Mapped[float]
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    address: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[AssetStatus] = mapped_column(index=True)
    ready_date: Mapped[date | None]
    external_id: Mapped[str | None] = mapped_column(String(100))
    capacity_unit: Mapped[str] = mapped_column(String(32))
    capacity_total: Mapped[int]
    capacity_free: Mapped[int] = mapped_column(index=True)
    power_kw: Mapped[float | None]
    power_guarantee: Mapped[bool] = mapped_column(default=False)
    attributes: Mapped[dict[str, Any]]
    sharing_terms: Mapped[str] = mapped_column(Text, default="")
    indicative_price_cny: Mapped[int | None]
    lead_time_days: Mapped[int | None]
    visibility: Mapped[Visibility]
    # SHA-256 of the asset's content (everything a writer sets): a re-import that changes
    # nothing is detected without loading the rows.
    content_hash: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        UniqueConstraint("owner_organisation_id", "external_id"),
        Index("ix_assets_location", "lon", "lat"),
    )


class ImportStatus(enum.StrEnum):
    QUEUED = "queued"
    VALIDATING = "validating"
    WRITING = "writing"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class AssetImportJob(UUIDPrimaryKey, Timestamps, Base):
    """One bulk upload: its progress, its outcome and, when it failed, the full error report."""

    __tablename__ = "asset_import_jobs"

    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    format: Mapped[str] = mapped_column(String(16))
    filename: Mapped[str | None] = mapped_column(String(200))
    content_digest: Mapped[str] = mapped_column(String(64))
    status: Mapped[ImportStatus]
    rows_total: Mapped[int] = mapped_column(default=0)
    rows_validated: Mapped[int] = mapped_column(default=0)
    rows_written: Mapped[int] = mapped_column(default=0)
    created_count: Mapped[int] = mapped_column(default=0)
    updated_count: Mapped[int] = mapped_column(default=0)
    unchanged_count: Mapped[int] = mapped_column(default=0)
    error_count: Mapped[int] = mapped_column(default=0)
    errors: Mapped[dict[str, Any] | None]
    detail: Mapped[str | None] = mapped_column(Text)
    finished_at: Mapped[datetime | None]
    # A background job's file, kept until it finishes, so any worker process can run it.
    upload: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    attempts: Mapped[int] = mapped_column(default=0)
    # The process running it ("host:pid") and until when it holds it: past that, another takes it.
    claimed_by: Mapped[str | None] = mapped_column(String(120))
    lease_until: Mapped[datetime | None]
