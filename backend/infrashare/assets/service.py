"""Rules for assets: validation beyond field types, create, read, update, retire, list, history.

Handlers translate HTTP; every rule is here (and in visibility.py for who sees what).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import ValidationError
from pydantic_core import to_jsonable_python
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from infrashare.assets.changes import asset_changed
from infrashare.assets.models import Asset, AssetKind, AssetStatus, Visibility
from infrashare.assets.schemas import (
    CAPACITY_UNITS,
    GEOMETRY_TYPES,
    AssetCreate,
    AssetUpdate,
)
from infrashare.assets.visibility import SQL_FIELDS, Viewer
from infrashare.audit.models import Event
from infrashare.audit.service import history, record_event
from infrashare.core.area import Area
from infrashare.core.errors import Conflict, DomainError, FieldError, InvalidInput, NotFound, PermissionDenied
from infrashare.core.geo import haversine_m, location_columns, representative_point
from infrashare.core.paging import Pagination
from infrashare.core.principal import Principal, Role
from infrashare.regions.models import Region

WRITER_ROLES = (Role.OPERATOR_ADMIN, Role.OPERATOR_MEMBER)
# Regions carry a point (the seat of government), not a boundary, so "the region contains the
# location" can only be checked for plausibility: the location must lie within this distance of
# the region's point (a street uses its district's point). Catches wrong-city and swapped codes.
PLAUSIBLE_DISTANCE_KM = {"street": 80, "county": 80, "city": 250}
# Columns a writer sets; their digest (content_hash) tells a re-import what changed.
CONTENT_COLUMNS = (
    "kind",
    "name",
    "description",
    "geometry",
    "region_code",
    "address",
    "status",
    "ready_date",
    "external_id",
    "capacity_unit",
    "capacity_total",
    "capacity_free",
    "power_kw",
    "power_guarantee",
    "attributes",
    "sharing_terms",
    "indicative_price_cny",
    "lead_time_days",
    "visibility",
)


class StaleVersion(DomainError):
    status, slug, title = 409, "stale-version", "Changed by someone else"


class VersionRequired(DomainError):
    status, slug, title = 428, "version-required", "Version required"


# --- validation ---------------------------------------------------------------------------------


_TAGS = frozenset(GEOMETRY_TYPES) | {"Point", "LineString"}


def field_name(loc: Sequence[int | str]) -> str:
    """A Pydantic error location as a field path, without the discriminated-union tags."""
    parts = [str(part) for part in loc]
    if len(parts) > 1 and parts[0] in {"geometry", "attributes"} and parts[1] in _TAGS:
        del parts[1]
    return ".".join(parts) or "body"


def validation_errors(exc: ValidationError, row: int | None = None) -> list[FieldError]:
    errors = exc.errors()
    kind_is_wrong = any(tuple(error["loc"]) == ("kind",) for error in errors)
    return [
        FieldError(field_name(error["loc"]), error["msg"].removeprefix("Value error, "), row)
        for error in errors
        # an unknown kind also fails the attributes' discriminator: report it once
        if not (
            kind_is_wrong and tuple(error["loc"]) == ("attributes",) and error["type"] == "union_tag_invalid"
        )
    ]


@dataclass(frozen=True)
class RegionPoint:
    level: str
    lon: float | None
    lat: float | None


async def region_points(db: AsyncSession, codes: Iterable[str]) -> dict[str, RegionPoint]:
    """The known regions among ``codes``, each with its own point or else its parent's."""
    wanted = sorted(set(codes))
    found: dict[str, RegionPoint] = {}
    for start in range(0, len(wanted), 500):
        rows = (
            await db.execute(select(Region).where(Region.code.in_(wanted[start : start + 500])))
        ).scalars()
        regions = list(rows)
        parents = {r.parent_code for r in regions if r.lon is None and r.parent_code}
        parent_points = {
            p.code: p
            for p in (await db.scalars(select(Region).where(Region.code.in_(sorted(parents))))).all()
        }
        for region in regions:
            source = region if region.lon is not None else parent_points.get(region.parent_code or "")
            lon, lat = (source.lon, source.lat) if source else (None, None)
            found[region.code] = RegionPoint(region.level, lon, lat)
    return found


def check_rules(
    data: AssetCreate, regions: dict[str, RegionPoint], row: int | None = None
) -> list[FieldError]:
    """Rules across fields and against the regions table; each error names its field."""
    errors: list[FieldError] = []
    if data.geometry.type not in GEOMETRY_TYPES[data.kind]:
        allowed = " or ".join(sorted(GEOMETRY_TYPES[data.kind]))
        errors.append(FieldError("geometry.type", f"a {data.kind.value} is a {allowed}", row))
    if data.attributes.kind != data.kind:
        errors.append(FieldError("attributes.kind", f"must be {data.kind.value}, the asset's kind", row))
    unit = CAPACITY_UNITS[data.kind]
    if data.capacity.unit not in (None, unit):
        errors.append(FieldError("capacity.unit", f"a {data.kind.value} counts {unit}", row))
    if data.capacity.free > data.capacity.total:
        errors.append(
            FieldError(
                "capacity.free", f"free ({data.capacity.free}) exceeds total ({data.capacity.total})", row
            )
        )
    if data.status == AssetStatus.PLANNED and data.ready_date is None:
        errors.append(FieldError("ready_date", "a planned asset needs a ready date", row))
    region = regions.get(data.region_code)
    if region is None:
        errors.append(FieldError("region_code", f"unknown region {data.region_code}", row))
    elif region.lon is not None and region.lat is not None and region.level in PLAUSIBLE_DISTANCE_KM:
        limit = PLAUSIBLE_DISTANCE_KM[region.level]
        distance = haversine_m(representative_point(data.geometry.model_dump()), (region.lon, region.lat))
        if distance > limit * 1000:
            errors.append(
                FieldError(
                    "region_code",
                    f"the location is {distance / 1000:.0f} km from region {data.region_code}"
                    f" (more than {limit} km): wrong region or wrong coordinates?",
                    row,
                )
            )
    return errors


# --- columns, snapshots and reads ---------------------------------------------------------------


def content_of(data: AssetCreate) -> dict[str, Any]:
    """The writer-set columns of an asset, JSON-ready (dates as ISO text)."""
    geometry = data.geometry.model_dump()
    geometry["coordinates"] = to_jsonable_python(geometry["coordinates"])
    return {
        "kind": data.kind.value,
        "name": data.name,
        "description": data.description,
        "geometry": to_jsonable_python(geometry),
        "region_code": data.region_code,
        "address": data.address or None,
        "status": data.status.value,
        "ready_date": data.ready_date.isoformat() if data.ready_date else None,
        "external_id": data.external_id,
        "capacity_unit": CAPACITY_UNITS[data.kind],
        "capacity_total": data.capacity.total,
        "capacity_free": data.capacity.free,
        "power_kw": data.capacity.power_kw,
        "power_guarantee": data.capacity.power_guarantee,
        "attributes": data.attributes.model_dump(exclude={"kind"}, exclude_none=True),
        "sharing_terms": data.sharing.terms,
        "indicative_price_cny": data.sharing.indicative_price_cny,
        "lead_time_days": data.sharing.lead_time_days,
        "visibility": data.visibility.value,
    }


def content_hash(content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def column_values(content: dict[str, Any]) -> dict[str, Any]:
    """Database column values from a content dict: typed values plus the derived columns."""
    ready = content["ready_date"]
    return {
        **content,
        "kind": AssetKind(content["kind"]),
        "status": AssetStatus(content["status"]),
        "ready_date": date.fromisoformat(ready) if ready else None,
        "visibility": Visibility(content["visibility"]),
        **location_columns(content["geometry"]),
        "content_hash": content_hash(content),
    }


def stored_content(asset: Asset) -> dict[str, Any]:
    values = {name: getattr(asset, name) for name in CONTENT_COLUMNS}
    result: dict[str, Any] = to_jsonable_python(values)
    return result


def as_create(asset: Asset) -> dict[str, Any]:
    """The stored asset in the shape of an AssetCreate body (for merging an update into it)."""
    return {
        "kind": asset.kind.value,
        "name": asset.name,
        "description": asset.description,
        "geometry": asset.geometry,
        "region_code": asset.region_code,
        "address": asset.address,
        "status": asset.status.value,
        "ready_date": asset.ready_date,
        "external_id": asset.external_id,
        "capacity": {
            "total": asset.capacity_total,
            "free": asset.capacity_free,
            "power_kw": asset.power_kw,
            "power_guarantee": asset.power_guarantee,
        },
        "attributes": {**asset.attributes, "kind": asset.kind.value},
        "sharing": {
            "terms": asset.sharing_terms,
            "indicative_price_cny": asset.indicative_price_cny,
            "lead_time_days": asset.lead_time_days,
        },
        "visibility": asset.visibility.value,
    }


# --- writes -------------------------------------------------------------------------------------


def require_writer(principal: Principal, asset: Asset | None = None) -> None:
    if principal.role not in WRITER_ROLES:
        raise PermissionDenied("Only users of operator organisations list and change assets.")
    if asset is not None and asset.owner_organisation_id != principal.organisation_id:
        raise PermissionDenied("Only the owner organisation changes this asset.")


async def _validated(db: AsyncSession, data: AssetCreate) -> dict[str, Any]:
    errors = check_rules(data, await region_points(db, [data.region_code]))
    if errors:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)
    return content_of(data)


async def _refuse_duplicate_external_id(
    db: AsyncSession, owner: uuid.UUID, external_id: str | None, asset_id: uuid.UUID | None
) -> None:
    if not external_id:
        return
    query = select(Asset.id).where(Asset.owner_organisation_id == owner, Asset.external_id == external_id)
    existing = await db.scalar(query)
    if existing is not None and existing != asset_id:
        raise Conflict(
            f"Your organisation already has an asset with external_id {external_id!r}.",
            errors=[FieldError("external_id", "already used by another of your assets")],
            asset_id=str(existing),
        )


async def create_asset(db: AsyncSession, principal: Principal, data: AssetCreate) -> Asset:
    require_writer(principal)
    content = await _validated(db, data)
    await _refuse_duplicate_external_id(db, principal.organisation_id, data.external_id, None)
    asset = Asset(id=uuid.uuid4(), owner_organisation_id=principal.organisation_id, **column_values(content))
    db.add(asset)
    await db.flush()
    await record_event(db, principal.actor, "asset.created", "asset", asset.id, after=content)
    asset_changed(db, asset.id)
    return asset


async def get_visible(db: AsyncSession, viewer: Viewer, asset_id: uuid.UUID) -> Asset:
    asset = await db.scalar(select(Asset).where(Asset.id == asset_id, viewer.can_see()))
    if asset is None:
        raise NotFound(f"Asset {asset_id} does not exist.")
    return asset


def _check_version(asset: Asset, expected: int | None) -> None:
    if expected is None:
        raise VersionRequired(
            "Send the version you read, as `version` in the body or an If-Match header.",
            errors=[FieldError("version", "required")],
        )
    if expected != asset.version:
        raise StaleVersion(
            f"The asset is at version {asset.version}, you sent {expected}; reload and retry.",
            current_version=asset.version,
        )


def _merged(asset: Asset, data: AssetUpdate) -> dict[str, Any]:
    merged = as_create(asset)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    for key, value in changes.items():
        if key in {"capacity", "attributes", "sharing"} and value is not None:
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def _diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    changed = [key for key in after if before.get(key) != after[key]]
    return {key: before.get(key) for key in changed}, {key: after[key] for key in changed}


async def _apply(
    db: AsyncSession,
    principal: Principal,
    asset: Asset,
    content: dict[str, Any],
    action: str,
    reason: str | None,
) -> Asset:
    before, after = _diff(stored_content(asset), content)
    if not after:
        return asset  # nothing changed: no new version, no event
    for key, value in column_values(content).items():
        setattr(asset, key, value)
    try:
        await db.flush()
    except StaleDataError as exc:
        raise StaleVersion("The asset was changed meanwhile; reload and retry.") from exc
    await record_event(
        db, principal.actor, action, "asset", asset.id, before=before, after=after, reason=reason
    )
    asset_changed(db, asset.id)
    return asset


async def update_asset(
    db: AsyncSession,
    principal: Principal,
    viewer: Viewer,
    asset_id: uuid.UUID,
    data: AssetUpdate,
    if_match: int | None,
) -> Asset:
    asset = await get_visible(db, viewer, asset_id)
    require_writer(principal, asset)
    _check_version(asset, data.version if data.version is not None else if_match)
    try:
        merged = AssetCreate.model_validate(_merged(asset, data))
    except ValidationError as exc:
        errors = validation_errors(exc)
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors) from exc
    content = await _validated(db, merged)
    await _refuse_duplicate_external_id(db, asset.owner_organisation_id, merged.external_id, asset.id)
    return await _apply(db, principal, asset, content, "asset.updated", None)


async def retire_asset(
    db: AsyncSession,
    principal: Principal,
    viewer: Viewer,
    asset_id: uuid.UUID,
    version: int | None,
    reason: str | None,
) -> Asset:
    asset = await get_visible(db, viewer, asset_id)
    require_writer(principal, asset)
    _check_version(asset, version)
    if asset.status == AssetStatus.RETIRED:
        raise Conflict("The asset is retired already.")
    content = stored_content(asset) | {"status": AssetStatus.RETIRED.value}
    return await _apply(db, principal, asset, content, "asset.retired", reason)


# --- reads --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssetFilters:
    kinds: tuple[AssetKind, ...] = ()
    statuses: tuple[AssetStatus, ...] = ()
    region: Area | None = None  # the region and everything below it
    owner: uuid.UUID | None = None
    min_free: int | None = None


def filtered_query(viewer: Viewer, filters: AssetFilters) -> Any:
    query = select(Asset).where(viewer.can_see())
    if filters.kinds:
        query = query.where(Asset.kind.in_(filters.kinds))
    if filters.statuses:
        query = query.where(Asset.status.in_(filters.statuses))
    else:
        query = query.where(Asset.status != AssetStatus.RETIRED)
    if filters.region is not None:
        query = query.where(filters.region.condition().sql(SQL_FIELDS))
    if filters.owner is not None:
        query = query.where(Asset.owner_organisation_id == filters.owner)
    if filters.min_free is not None:
        query = query.where(Asset.capacity_free >= filters.min_free)
    return query.order_by(Asset.id)


async def list_assets(
    db: AsyncSession, viewer: Viewer, filters: AssetFilters, pagination: Pagination
) -> tuple[list[Asset], int]:
    """A page of the assets the caller may see that match the filters (by id), and how many match.

    The page's ids first, then their rows: ordering and skipping whole rows (geometry and all)
    made page 200 of 100,000 assets take 1.3 s on SQLite; ids alone keep deep pages cheap."""
    query = filtered_query(viewer, filters)
    total = await db.scalar(query.with_only_columns(func.count(), maintain_column_froms=True).order_by(None))
    ids = list((await db.scalars(pagination.rows(query.with_only_columns(Asset.id)))).all())
    rows = await db.scalars(select(Asset).where(Asset.id.in_(ids)).order_by(Asset.id)) if ids else None
    return (list(rows.all()) if rows else []), int(total or 0)


async def asset_history(db: AsyncSession, viewer: Viewer, asset_id: uuid.UUID) -> list[Event]:
    """The asset's events; only for those who see it exactly (the events hold its location)."""
    asset = await get_visible(db, viewer, asset_id)
    if not viewer.sees_exactly(asset):
        raise PermissionDenied("The history of an asset is for its owner and the regulators over it.")
    return await history(db, "asset", asset_id)
