"""The needs list: filters shared by the JSON page, the map (GeoJSON) and the exports."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, exists, nulls_last
from sqlalchemy.ext.asyncio import AsyncSession

from infrashare.accounts.models import Industry, Organisation
from infrashare.assets.models import AssetKind
from infrashare.core.errors import FieldError, InvalidInput
from infrashare.core.paging import Pagination
from infrashare.core.principal import Principal
from infrashare.needs.models import Need, NeedKind, NeedMode, NeedPurpose, NeedStatus
from infrashare.needs.service import NeedView, page_of
from infrashare.needs.visibility import SQL_FIELDS, visible_clause
from infrashare.regions.models import Region
from infrashare.regions.service import area_of

MAX_ROWS = 10_000  # for the map and the exports; narrow the filters beyond that


@dataclass(frozen=True)
class NeedFilters:
    """What the list shows. Empty lists mean "any"; ``statuses`` defaults to published only."""

    region: str | None = None
    industries: list[Industry] = field(default_factory=list)
    kinds: list[AssetKind] = field(default_factory=list)
    purposes: list[NeedPurpose] = field(default_factory=list)
    modes: list[NeedMode] = field(default_factory=list)
    statuses: list[NeedStatus] = field(default_factory=lambda: [NeedStatus.PUBLISHED])
    organisation_id: uuid.UUID | None = None
    submitted_since: date | None = None
    published_since: date | None = None
    published_until: date | None = None
    bbox: tuple[float, float, float, float] | None = None
    q: str | None = None

    def describe(self) -> str:
        """One line for export headers, e.g. ``status=published; region=440305; kind=tower,duct``."""
        parts = []
        for name, value in (
            ("status", self.statuses),
            ("region", self.region),
            ("industry", self.industries),
            ("kind", self.kinds),
            ("purpose", self.purposes),
            ("mode", self.modes),
            ("organisation", self.organisation_id),
            ("submitted_since", self.submitted_since),
            ("published_since", self.published_since),
            ("published_until", self.published_until),
            ("bbox", self.bbox),
            ("q", self.q),
        ):
            if value is None or value == []:
                continue
            text = ",".join(str(v) for v in value) if isinstance(value, list | tuple) else str(value)
            parts.append(f"{name}={text}")
        return "; ".join(parts) or "none"


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


async def filter_clauses(db: AsyncSession, filters: NeedFilters) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if filters.region:
        if await db.get(Region, filters.region) is None:
            raise InvalidInput(
                f"Unknown region {filters.region}.", errors=[FieldError("region", "unknown region")]
            )
        area = await area_of(db, [filters.region])
        where.append(area.condition().sql(SQL_FIELDS))
    if filters.industries:
        where.append(Organisation.industry.in_(filters.industries))
    if filters.kinds:
        where.append(
            exists().where(NeedKind.need_id == Need.id, NeedKind.kind.in_(filters.kinds)).correlate(Need)
        )
    if filters.purposes:
        where.append(Need.purpose.in_(filters.purposes))
    if filters.modes:
        where.append(Need.mode.in_(filters.modes))
    if filters.statuses:
        where.append(Need.status.in_(filters.statuses))
    if filters.organisation_id:
        where.append(Need.organisation_id == filters.organisation_id)
    if filters.submitted_since:
        where.append(Need.submitted_at >= _start_of(filters.submitted_since))
    if filters.published_since:
        where.append(Need.published_at >= _start_of(filters.published_since))
    if filters.published_until:
        where.append(Need.published_at < _start_of(filters.published_until + timedelta(days=1)))
    if filters.bbox:
        min_lon, min_lat, max_lon, max_lat = filters.bbox
        where += [
            Need.max_lon >= min_lon,
            Need.min_lon <= max_lon,
            Need.max_lat >= min_lat,
            Need.min_lat <= max_lat,
        ]
    if filters.q:
        where.append(Need.title.contains(filters.q.strip(), autoescape=True))
    return where


ORDER = [nulls_last(Need.published_at.desc()), Need.created_at.desc(), Need.id]


async def list_needs(
    db: AsyncSession, principal: Principal, filters: NeedFilters, pagination: Pagination
) -> tuple[list[NeedView], int]:
    """The needs the caller may see that match the filters, newest publication first."""
    where = [visible_clause(principal), *await filter_clauses(db, filters)]
    return await page_of(db, principal, principal.jurisdiction, where, ORDER, pagination)


async def all_needs(db: AsyncSession, principal: Principal, filters: NeedFilters) -> list[NeedView]:
    """Every matching need (for the map and exports), refusing more than ``MAX_ROWS``."""
    views, total = await list_needs(db, principal, filters, Pagination(1, MAX_ROWS))
    if total > MAX_ROWS:
        raise InvalidInput(
            f"{total} needs match; narrow the filters to at most {MAX_ROWS}.",
            errors=[FieldError("filters", "too many rows")],
        )
    return views


def feature_collection(views: list[NeedView], filters: NeedFilters) -> dict[str, Any]:
    """GeoJSON for the map: the need's own geometry, with what a popup and a legend need."""
    features = [
        {
            "type": "Feature",
            "id": str(view.need.id),
            "geometry": view.need.geometry,
            "bbox": [view.need.min_lon, view.need.min_lat, view.need.max_lon, view.need.max_lat],
            "properties": {
                "id": str(view.need.id),
                "title": view.need.title,
                "status": view.need.status.value,
                "purpose": view.need.purpose.value,
                "mode": view.need.mode.value,
                "wanted_kinds": [kind.value for kind in view.need.wanted_kinds],
                "organisation_name": view.organisation.name,
                "requesting_industry": view.organisation.industry.value,
                "region_code": view.need.region_code,
                "region_name": view.region_name,
                "quantity": view.need.quantity,
                "needed_by": view.need.needed_by.isoformat(),
                "radius_m": view.need.radius_m,
                "corridor_m": view.need.corridor_m,
                "marker": [view.need.lon, view.need.lat],
                "published_at": view.need.published_at.isoformat() if view.need.published_at else None,
            },
        }
        for view in views
    ]
    return {"type": "FeatureCollection", "features": features, "filters": filters.describe()}
