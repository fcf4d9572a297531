"""Searching needs: Meilisearch for text, filters, facets and geo, the database when it is down.

The caller's visibility rule (``needs.visibility.rule``, rendered for the index) is part of every Meilisearch
filter, so a need the caller may not see is never a hit, never counted in a total and never in
a facet. Hits are then read back from the database through the same rule, in the index's order.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from sqlalchemy import ColumnElement, or_
from sqlalchemy.ext.asyncio import AsyncSession

from infrashare.accounts.models import Industry
from infrashare.assets.models import AssetKind
from infrashare.assets.search import ready_day
from infrashare.core.area import REGION_FIELD
from infrashare.core.conditions import Eq
from infrashare.core.errors import FieldError, InvalidInput
from infrashare.core.geo import BBox, Polygon, Position, padded, point_to_geometry_m, ring_box
from infrashare.core.indexing import SEARCH_FAILURES
from infrashare.core.paging import Pagination
from infrashare.core.principal import Principal
from infrashare.core.search import SearchEngine
from infrashare.matching.search import filter_list
from infrashare.needs.models import Need, NeedMode, NeedPurpose, NeedStatus
from infrashare.needs.queries import ORDER, NeedFilters, filter_clauses
from infrashare.needs.search import NEEDS_INDEX, ROUTE_STEP_M
from infrashare.needs.service import NeedView, need_query, view_of
from infrashare.needs.visibility import index_filter, visible_clause
from infrashare.regions.models import Region

NeedSortOrder = Literal["relevance", "distance", "needed_by", "newest"]
NEED_FACETS = ["status", "kinds", "purpose", "mode", "industry", "district_code"]
# Route documents are points every 50 m: a route within r of a place has one within r + 25 m.
ROUTE_SLACK_M = ROUTE_STEP_M / 2
DATABASE_LIMIT = 2000


@dataclass(frozen=True)
class NeedQuery:
    text: str = ""
    statuses: tuple[NeedStatus, ...] = ()  # empty: every state the caller may see
    kinds: tuple[AssetKind, ...] = ()
    purposes: tuple[NeedPurpose, ...] = ()
    modes: tuple[NeedMode, ...] = ()
    industries: tuple[Industry, ...] = ()
    organisation_id: uuid.UUID | None = None
    region: str | None = None
    needed_by_from: date | None = None
    needed_by_to: date | None = None
    bbox: tuple[float, float, float, float] | None = None  # min lon, min lat, max lon, max lat
    near: Position | None = None  # lon, lat
    radius_m: int | None = None
    polygon: list[Position] = field(default_factory=list)
    sort: NeedSortOrder = "relevance"
    pagination: Pagination = field(default_factory=Pagination)


@dataclass(frozen=True)
class NeedHitView:
    view: NeedView
    distance_m: float | None


@dataclass(frozen=True)
class NeedSearchOutcome:
    hits: list[NeedHitView]
    total: int
    facets: dict[str, dict[str, int]]
    degraded: bool


def _geo_filters(query: NeedQuery) -> list[str]:
    filters = []
    if query.near and query.radius_m:
        lon, lat = query.near
        exact = f"_geoRadius({lat}, {lon}, {query.radius_m})"
        along = f"_geoRadius({lat}, {lon}, {query.radius_m + ROUTE_SLACK_M})"
        filters.append(f'{exact} OR (geometry_type = "LineString" AND {along})')
    for box in filter(None, (query.bbox, ring_box(query.polygon))):
        min_lon, min_lat, max_lon, max_lat = padded(box, ROUTE_SLACK_M)
        filters.append(f"_geoBoundingBox([{max_lat}, {max_lon}], [{min_lat}, {min_lon}])")
    return filters


def need_index_filter(query: NeedQuery, principal: Principal) -> str:
    filters = [index_filter(principal)]
    for name, values in (
        ("status", query.statuses),
        ("kinds", query.kinds),
        ("purpose", query.purposes),
        ("mode", query.modes),
        ("industry", query.industries),
    ):
        if values:
            filters.append(f"{name} IN {filter_list([value.value for value in values])}")
    if query.organisation_id:
        filters.append(f"organisation_id = {json.dumps(str(query.organisation_id))}")
    if query.region:
        filters.append(Eq(REGION_FIELD, query.region).meili())  # the region or one below it
    if query.needed_by_from:
        filters.append(f"needed_by_day >= {ready_day(query.needed_by_from)}")
    if query.needed_by_to:
        filters.append(f"needed_by_day <= {ready_day(query.needed_by_to)}")
    filters.extend(_geo_filters(query))
    return " AND ".join(f"({part})" for part in filters)


def _sort(query: NeedQuery) -> list[str] | None:
    if query.sort == "distance" and query.near:
        return [f"_geoPoint({query.near[1]}, {query.near[0]}):asc"]
    if query.sort == "needed_by":
        return ["needed_by_day:asc"]
    if query.sort == "newest":
        return ["published_ts:desc"]
    return None


def _hit(view: NeedView, query: NeedQuery) -> NeedHitView | None:
    geometry = view.need.geometry
    if query.polygon and not Polygon.of(query.polygon).meets(geometry):
        return None
    distance = point_to_geometry_m(query.near, geometry) if query.near else None
    return NeedHitView(view, round(distance, 1) if distance is not None else None)


async def _views_in_order(db: AsyncSession, principal: Principal, ids: list[str]) -> list[NeedView]:
    if not ids:
        return []
    wanted = [uuid.UUID(i) for i in ids]
    query = need_query().where(Need.id.in_(wanted), visible_clause(principal))
    rows = (await db.execute(query)).all()
    found = {str(row[0].id): view_of(principal, row, principal.jurisdiction) for row in rows}
    return [found[i] for i in ids if i in found]


async def _from_index(
    db: AsyncSession, engine: SearchEngine, principal: Principal, query: NeedQuery
) -> NeedSearchOutcome:
    result = await engine.searchable(NEEDS_INDEX.uid).search(
        query.text or None,
        filter=need_index_filter(query, principal),
        facets=NEED_FACETS,
        sort=_sort(query),
        page=query.pagination.page,
        hits_per_page=query.pagination.page_size,
        attributes_to_retrieve=["need_id"],
    )
    views = await _views_in_order(db, principal, [hit["need_id"] for hit in result.hits])
    facets = {name: dict(values) for name, values in (result.facet_distribution or {}).items()}
    return NeedSearchOutcome(
        hits=[hit for view in views if (hit := _hit(view, query))],
        total=result.total_hits if result.total_hits is not None else len(views),
        facets=facets,
        degraded=False,
    )


def _reach_box(near: Position, radius_m: int) -> BBox:
    return padded((*near, *near), radius_m + ROUTE_SLACK_M)


def _database_clauses(query: NeedQuery) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    if query.text:
        clauses.append(
            or_(
                Need.title.contains(query.text, autoescape=True),
                Need.description.contains(query.text, autoescape=True),
            )
        )
    if query.needed_by_from:
        clauses.append(Need.needed_by >= query.needed_by_from)
    if query.needed_by_to:
        clauses.append(Need.needed_by <= query.needed_by_to)
    return clauses


async def _from_database(db: AsyncSession, principal: Principal, query: NeedQuery) -> NeedSearchOutcome:
    """Filters, bounding box, radius and a plain text match; no facets, no relevance."""
    box = query.bbox or ring_box(query.polygon)
    if box is None and query.near and query.radius_m:
        box = _reach_box(query.near, query.radius_m)
    filters = NeedFilters(
        region=query.region,
        industries=list(query.industries),
        kinds=list(query.kinds),
        purposes=list(query.purposes),
        modes=list(query.modes),
        statuses=list(query.statuses),
        organisation_id=query.organisation_id,
        bbox=box,
    )
    where = [visible_clause(principal), *await filter_clauses(db, filters)]
    order: list[Any] = [Need.needed_by, Need.id] if query.sort == "needed_by" else ORDER
    sql = need_query().where(*where, *_database_clauses(query)).order_by(*order).limit(DATABASE_LIMIT)
    rows = (await db.execute(sql)).all()
    hits = [hit for row in rows if (hit := _hit(view_of(principal, row, principal.jurisdiction), query))]
    if query.near and query.radius_m:
        hits = [hit for hit in hits if (hit.distance_m or 0) <= query.radius_m + ROUTE_SLACK_M]
    if query.sort == "distance" and query.near:
        hits.sort(key=lambda hit: hit.distance_m or 0)
    return NeedSearchOutcome(hits=query.pagination.window(hits), total=len(hits), facets={}, degraded=True)


async def _check_region(db: AsyncSession, region: str | None) -> None:
    if region and await db.get(Region, region) is None:
        raise InvalidInput(f"Unknown region {region}.", errors=[FieldError("region", "unknown region")])


async def search_needs(
    db: AsyncSession, engine: SearchEngine | None, principal: Principal, query: NeedQuery
) -> NeedSearchOutcome:
    """The needs the caller may see that match the query, from the index or, failing that, the database."""
    await _check_region(db, query.region)
    if engine is not None:
        try:
            return await _from_index(db, engine, principal, query)
        except SEARCH_FAILURES:
            pass
    return await _from_database(db, principal, query)
