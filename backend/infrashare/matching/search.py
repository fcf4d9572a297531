"""Searching assets: Meilisearch for text, filters, facets and geo, the database when it is down.

Visibility comes first: the caller's visibility rule is part of every Meilisearch filter, so a
hidden asset is never a hit, never counted in a total and never in a facet. The hits are then
read back from the database (the source of truth) and presented through the same rule as every
other read path.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from infrashare.accounts.models import OrganisationKind
from infrashare.accounts.principal import Principal
from infrashare.assets.models import Asset, AssetStatus
from infrashare.assets.search import ASSETS_INDEX, ONE_PER_ASSET, ready_day
from infrashare.assets.service import to_read
from infrashare.assets.visibility import GRID_DEGREES, Viewer, present, viewer_for
from infrashare.core.indexing import SEARCH_FAILURES
from infrashare.core.search import SearchEngine
from infrashare.matching.geometry import Position, point_to_geometry_m, touches_polygon
from infrashare.matching.schemas import AssetHit, AssetSearchResult, SortOrder
from infrashare.regions.service import descendant_codes

FACETS = ["kind", "status", "owner_industry", "district_code", "visibility"]
# Documents sit on the ~1 km grid: a cell's centre is at most this far from what it stands for.
GRID_SLACK_M = 800
DATABASE_ROWS = 2000  # what a degraded search reads at most
SEEN_BY = {
    OrganisationKind.OPERATOR: ("public", "operators"),
    OrganisationKind.REGULATOR: ("public", "regulators"),
    OrganisationKind.PLATFORM: ("public", "operators", "regulators"),
}


@dataclass(frozen=True)
class AssetQuery:
    text: str = ""
    kinds: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    owner_id: uuid.UUID | None = None
    industries: tuple[str, ...] = ()
    region: str | None = None
    min_free: int | None = None
    min_power_kw: float | None = None
    power_guarantee: bool | None = None
    ready_by: date | None = None
    bbox: tuple[float, float, float, float] | None = None  # min lon, min lat, max lon, max lat
    near: Position | None = None  # lon, lat
    radius_m: int | None = None
    polygon: list[Position] = field(default_factory=list)
    sort: SortOrder = "relevance"
    page: int = 1
    per_page: int = 20
    facets: bool = True  # matching needs the hits only


def filter_list(values: Sequence[object]) -> str:
    return "[" + ", ".join(json.dumps(str(value)) for value in values) + "]"


def visibility_filter(viewer: Viewer, jurisdiction_roots: frozenset[str]) -> str:
    """The visibility rule of assets/visibility.py, as a Meilisearch filter."""
    parts = [f"owner_id = {json.dumps(str(viewer.organisation_id))}"]
    parts.append(f"visibility IN {filter_list(SEEN_BY[viewer.kind])}")
    if viewer.kind == OrganisationKind.REGULATOR and jurisdiction_roots:
        parts.append(f"region_codes IN {filter_list(sorted(jurisdiction_roots))}")
    if viewer.granted:
        parts.append(f"asset_id IN {filter_list(sorted(viewer.granted))}")
    return " OR ".join(parts)


def _geo_filters(query: AssetQuery) -> list[str]:
    filters = []
    if query.near and query.radius_m:
        lon, lat = query.near
        filters.append(f"_geoRadius({lat}, {lon}, {query.radius_m + GRID_SLACK_M})")
    box = query.bbox or polygon_box(query.polygon)
    if box:
        pad = GRID_DEGREES / 2
        min_lon, min_lat, max_lon, max_lat = box
        filters.append(
            f"_geoBoundingBox([{max_lat + pad}, {max_lon + pad}], [{min_lat - pad}, {min_lon - pad}])"
        )
    return filters


def polygon_box(ring: list[Position]) -> tuple[float, float, float, float] | None:
    if not ring:
        return None
    lons, lats = [p[0] for p in ring], [p[1] for p in ring]
    return min(lons), min(lats), max(lons), max(lats)


def index_filter(query: AssetQuery, viewer: Viewer, jurisdiction_roots: frozenset[str]) -> str:
    filters = [visibility_filter(viewer, jurisdiction_roots)]
    statuses = query.statuses or tuple(s.value for s in AssetStatus if s != AssetStatus.RETIRED)
    filters.append(f"status IN {filter_list(statuses)}")
    if query.kinds:
        filters.append(f"kind IN {filter_list(query.kinds)}")
    if query.owner_id:
        filters.append(f"owner_id = {json.dumps(str(query.owner_id))}")
    if query.industries:
        filters.append(f"owner_industry IN {filter_list(query.industries)}")
    if query.region:
        filters.append(f"region_codes = {json.dumps(query.region)}")
    if query.min_free is not None:
        filters.append(f"capacity_free >= {int(query.min_free)}")
    if query.min_power_kw is not None:
        filters.append(f"power_kw >= {float(query.min_power_kw)}")
    if query.power_guarantee is not None:
        filters.append(f"power_guarantee = {str(query.power_guarantee).lower()}")
    if query.ready_by:
        filters.append(f"ready_day <= {ready_day(query.ready_by)}")
    filters.extend(_geo_filters(query))
    if not is_geo(query):
        filters.append(ONE_PER_ASSET)
    return " AND ".join(f"({part})" for part in filters)


def is_geo(query: AssetQuery) -> bool:
    """Whether the search looks at where documents are (so every cell of a route counts)."""
    return bool(_geo_filters(query)) or (query.sort == "distance" and query.near is not None)


def _sort(query: AssetQuery) -> list[str] | None:
    if query.sort == "distance" and query.near:
        return [f"_geoPoint({query.near[1]}, {query.near[0]}):asc"]
    if query.sort == "free_capacity":
        return ["capacity_free:desc"]
    return None


async def _assets_in_order(db: AsyncSession, viewer: Viewer, ids: list[str]) -> list[Asset]:
    if not ids:
        return []
    rows = await db.scalars(select(Asset).where(Asset.id.in_([uuid.UUID(i) for i in ids]), viewer.can_see()))
    found = {str(asset.id): asset for asset in rows.all()}
    return [found[i] for i in ids if i in found]


def _hit(viewer: Viewer, asset: Asset, query: AssetQuery) -> AssetHit | None:
    shown = present(viewer, asset).geometry
    if query.polygon and not touches_polygon(shown, query.polygon):
        return None
    distance = point_to_geometry_m(query.near, shown) if query.near else None
    return AssetHit(
        asset=to_read(viewer, asset), distance_m=round(distance, 1) if distance is not None else None
    )


def index_search(query: AssetQuery, viewer: Viewer, jurisdiction_roots: frozenset[str]) -> dict[str, Any]:
    """The Meilisearch search the API sends for this query and caller (also what bench/search.py times).

    A geo search sees every cell of a route, so it asks for one hit per asset (``distinct``);
    counting those exhaustively costs several times the search itself, so its total is
    Meilisearch's estimate (``offset``/``limit``). Other searches have one document per asset
    and an exact total (``page``/``hits_per_page``).
    """
    search: dict[str, Any] = {
        "query": query.text or None,
        "filter": index_filter(query, viewer, jurisdiction_roots),
        "facets": FACETS if query.facets else None,
        "sort": _sort(query),
        "attributes_to_retrieve": ["asset_id"],
    }
    if is_geo(query):
        offset = (query.page - 1) * query.per_page
        return search | {"distinct": "asset_id", "offset": offset, "limit": query.per_page}
    return search | {"page": query.page, "hits_per_page": query.per_page}


async def _from_index(
    db: AsyncSession, client: SearchEngine, viewer: Viewer, roots: frozenset[str], query: AssetQuery
) -> AssetSearchResult:
    result = await client.searchable(ASSETS_INDEX.uid).search(**index_search(query, viewer, roots))
    assets = await _assets_in_order(db, viewer, [hit["asset_id"] for hit in result.hits])
    hits = [hit for asset in assets if (hit := _hit(viewer, asset, query))]
    facets: dict[str, dict[str, int]] = {
        name: dict(values) for name, values in (result.facet_distribution or {}).items()
    }
    exact = result.total_hits is not None
    total = result.total_hits if exact else result.estimated_total_hits
    return AssetSearchResult(
        hits=hits,
        total=total if total is not None else len(hits),
        total_exact=exact,
        page=query.page,
        per_page=query.per_page,
        facets=facets,
        degraded=False,
    )


async def _from_database(db: AsyncSession, viewer: Viewer, query: AssetQuery) -> AssetSearchResult:
    """Filters, bounding box and a plain text match; no facets, no relevance."""
    sql = select(Asset).where(viewer.can_see())
    statuses = query.statuses or tuple(s.value for s in AssetStatus if s != AssetStatus.RETIRED)
    sql = sql.where(Asset.status.in_(statuses))
    if query.kinds:
        sql = sql.where(Asset.kind.in_(query.kinds))
    if query.owner_id:
        sql = sql.where(Asset.owner_organisation_id == query.owner_id)
    if query.region:
        sql = sql.where(Asset.region_code.in_(sorted(await descendant_codes(db, [query.region]))))
    if query.min_free is not None:
        sql = sql.where(Asset.capacity_free >= query.min_free)
    if query.text:
        pattern = f"%{query.text.strip()}%"
        sql = sql.where(or_(Asset.name.like(pattern), Asset.description.like(pattern)))
    box = query.bbox or polygon_box(query.polygon)
    if box:
        min_lon, min_lat, max_lon, max_lat = box
        sql = sql.where(
            Asset.max_lon >= min_lon,
            Asset.min_lon <= max_lon,
            Asset.max_lat >= min_lat,
            Asset.min_lat <= max_lat,
        )
    order = Asset.capacity_free.desc() if query.sort == "free_capacity" else Asset.name
    rows = (await db.scalars(sql.order_by(order, Asset.id).limit(DATABASE_ROWS))).all()
    hits = [hit for asset in rows if (hit := _hit(viewer, asset, query))]
    if query.near and query.radius_m:
        hits = [hit for hit in hits if (hit.distance_m or 0) <= query.radius_m + GRID_SLACK_M]
    if query.sort == "distance" and query.near:
        hits.sort(key=lambda hit: hit.distance_m or 0)
    start = (query.page - 1) * query.per_page
    return AssetSearchResult(
        hits=hits[start : start + query.per_page],
        total=len(hits),
        total_exact=len(rows) < DATABASE_ROWS,
        page=query.page,
        per_page=query.per_page,
        facets={},
        degraded=True,
    )


async def search_assets(
    db: AsyncSession, client: SearchEngine | None, principal: Principal, query: AssetQuery
) -> AssetSearchResult:
    viewer = await viewer_for(db, principal)
    if client is not None:
        try:
            return await _from_index(db, client, viewer, frozenset(principal.jurisdiction), query)
        except SEARCH_FAILURES:
            pass
    return await _from_database(db, viewer, query)
