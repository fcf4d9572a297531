"""Searching assets: Meilisearch for text, filters, facets and geo, the database when it is down.

Visibility comes first: the caller's visibility rule (``Viewer.rule``, rendered for the index)
is part of every Meilisearch filter, so a
hidden asset is never a hit, never counted in a total and never in a facet. The hits are then
read back from the database (the source of truth) and presented through the same rule as every
other read path.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from typing import Any

from meilisearch_python_sdk.index import AsyncIndex
from meilisearch_python_sdk.models.search import SearchParams
from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from infrashare.assets.models import Asset, AssetStatus
from infrashare.assets.schemas import AssetRead
from infrashare.assets.search import ASSETS_INDEX, ready_day
from infrashare.assets.visibility import SQL_FIELDS, Viewer, present, viewer_for
from infrashare.core.area import REGION_FIELD
from infrashare.core.conditions import Eq
from infrashare.core.geo import Polygon, Position, Ruler, geometry_distance_m, ring_box
from infrashare.core.indexing import SEARCH_FAILURES
from infrashare.core.paging import Pagination
from infrashare.core.principal import Principal
from infrashare.core.search import SearchEngine
from infrashare.matching.coverings import Box, Reach, Shape, covering, nearest_cell_m
from infrashare.matching.schemas import AssetHit, AssetSearchPage, SortOrder
from infrashare.regions.service import area_of

# What the search screen offers to narrow by; each costs Meilisearch ~2 ms per few thousand hits.
FACETS = ["kind", "status", "owner_industry", "district_code"]
# Documents sit on the ~1 km grid: a cell's centre is at most this far from what it stands for.
GRID_SLACK_M = 800
DATABASE_ROWS = 2000  # what a degraded search reads at most
MAX_TOTAL_HITS = 10_000  # the index's pagination limit: totals stop counting there
FIRST_RING_M = 500
SMALLEST_RING_M = 100  # the grid is ~1 km: a ring much smaller holds hardly anything
RINGS = 8  # at most
UNBOUNDED_RINGS = 6  # 500 m × 4ⁿ: up to 512 km, a province


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
    along: dict[str, Any] | None = None  # a route: radius and distances from it, not from `near`
    radius_m: int | None = None
    polygon: list[Position] = field(default_factory=list)
    sort: SortOrder = "relevance"
    pagination: Pagination = field(default_factory=Pagination)
    facets: bool = True  # matching needs the hits only

    @property
    def origin(self) -> dict[str, Any] | None:
        """What the radius and distances are measured from."""
        if self.along:
            return self.along
        return {"type": "Point", "coordinates": list(self.near)} if self.near else None

    @property
    def nearest_first(self) -> bool:
        return self.sort == "distance" and self.origin is not None


def filter_list(values: Sequence[object]) -> str:
    return "[" + ", ".join(json.dumps(str(value)) for value in values) + "]"


def cells_filter(terms: list[str]) -> str:
    return f"cells IN {filter_list(terms or ['none'])}"


def reach_filter(origin: dict[str, Any], metres: float) -> str:
    return cells_filter(covering(Reach(origin, metres)))


def _box_filter(query: AssetQuery) -> list[str]:
    """The box's cells and the polygon's: the cells a polygon meets, not those of its bounding box."""
    filters = [cells_filter(covering(Box.around(*query.bbox)))] if query.bbox else []
    if query.polygon:
        filters.append(cells_filter(covering(Shape.of(query.polygon))))
    return filters


def _radius_filter(query: AssetQuery) -> list[str]:
    origin = query.origin
    if origin is None or not query.radius_m:
        return []
    return [reach_filter(origin, query.radius_m + GRID_SLACK_M)]


def attribute_filter(query: AssetQuery, viewer: Viewer) -> str:
    """Everything but the radius: who may see what (``Viewer.rule``), the attributes asked for, the box."""
    filters = [viewer.index_filter()]
    statuses = query.statuses or tuple(s.value for s in AssetStatus if s != AssetStatus.RETIRED)
    filters.append(f"status IN {filter_list(statuses)}")
    if query.kinds:
        filters.append(f"kind IN {filter_list(query.kinds)}")
    if query.owner_id:
        filters.append(f"owner_id = {json.dumps(str(query.owner_id))}")
    if query.industries:
        filters.append(f"owner_industry IN {filter_list(query.industries)}")
    if query.region:
        # Inside the region: its code is among the document's region and ancestors.
        filters.append(Eq(REGION_FIELD, query.region).meili())
    if query.min_free is not None:
        filters.append(f"capacity_free >= {int(query.min_free)}")
    if query.min_power_kw is not None:
        filters.append(f"power_kw >= {float(query.min_power_kw)}")
    if query.power_guarantee is not None:
        filters.append(f"power_guarantee = {str(query.power_guarantee).lower()}")
    if query.ready_by:
        filters.append(f"ready_day <= {ready_day(query.ready_by)}")
    filters.extend(_box_filter(query))
    return " AND ".join(f"({part})" for part in filters)


def index_filter(query: AssetQuery, viewer: Viewer) -> str:
    return " AND ".join([attribute_filter(query, viewer), *_radius_filter(query)])


def _sort(query: AssetQuery) -> list[str] | None:
    return ["capacity_free:desc"] if query.sort == "free_capacity" else None


async def _visible(db: AsyncSession, viewer: Viewer, sql: Select[Asset]) -> tuple[list[Asset], Viewer]:
    """The assets ``sql`` selects that the viewer may see, and the viewer with its grants among
    them (read along with them: they decide who sees which exactly)."""
    rows = (await db.execute(sql.add_columns(viewer.holds_grant()).where(viewer.can_see()))).all()
    granted = frozenset(asset.id for asset, holds in rows if holds)
    return [asset for asset, _ in rows], replace(viewer, granted=granted)


async def _hits_in_order(
    db: AsyncSession, viewer: Viewer, query: AssetQuery, ids: list[str]
) -> list[AssetHit]:
    """The page's assets from the database, in the index's order, as this viewer is shown them."""
    if not ids:
        return []
    assets, viewer = await _visible(
        db, viewer, select(Asset).where(Asset.id.in_([uuid.UUID(i) for i in ids]))
    )
    found = {str(asset.id): asset for asset in assets}
    return [hit for i in ids if i in found and (hit := _hit(viewer, found[i], query))]


def _hit(viewer: Viewer, asset: Asset, query: AssetQuery) -> AssetHit | None:
    shown = present(viewer, asset).geometry
    if query.polygon and not Polygon.of(query.polygon).meets(shown):
        return None
    origin = query.origin
    distance = geometry_distance_m(origin, shown) if origin else None
    return AssetHit(
        asset=AssetRead.from_model(asset, viewer),
        distance_m=round(distance, 1) if distance is not None else None,
    )


ReadBack = Callable[[list[str]], Awaitable[list[AssetHit]]]


@dataclass(frozen=True)
class IndexAnswer:
    """A page of asset ids from Meilisearch, with the total and facets of the whole search,
    and the page's hits when the caller read them back."""

    asset_ids: list[str]
    total: int
    facets: dict[str, dict[str, int]]
    hits: list[AssetHit] = field(default_factory=list)


async def index_answer(
    engine: SearchEngine,
    query: AssetQuery,
    viewer: Viewer,
    read_back: ReadBack | None = None,
) -> IndexAnswer:
    """The Meilisearch side of a search (what bench/search.py times against the API).

    One document per asset, so totals and facets are exact (up to ``MAX_TOTAL_HITS``). Facets
    are the costly part: Meilisearch counts them while the page is found and ``read_back``
    (the API's read of the page from the database, and its presentation) runs.
    """
    index = engine.searchable(ASSETS_INDEX.uid)
    where = index_filter(query, viewer)
    facets = asyncio.ensure_future(_facet_counts(index, query, where)) if query.facets else None
    try:
        if query.nearest_first:
            ids, total = await _nearest_first(engine, query, viewer, where)
        else:
            ids, total = await _ranked(index, query, where)
        hits = await read_back(ids) if read_back else []
        return IndexAnswer(ids, total, await facets if facets else {}, hits)
    finally:
        if facets and not facets.done():  # the page failed: the degraded path takes over
            facets.cancel()


async def _ranked(index: AsyncIndex, query: AssetQuery, where: str) -> tuple[list[str], int]:
    result = await index.search(
        query.text or None,
        filter=where,
        sort=_sort(query),
        page=query.pagination.page,
        hits_per_page=query.pagination.page_size,
        attributes_to_retrieve=["asset_id"],
    )
    return [hit["asset_id"] for hit in result.hits], result.total_hits or 0


async def _facet_counts(index: AsyncIndex, query: AssetQuery, where: str) -> dict[str, dict[str, int]]:
    result = await index.search(query.text or None, filter=where, facets=FACETS, hits_per_page=0, page=1)
    return {name: dict(values) for name, values in (result.facet_distribution or {}).items()}


def ring_radii(limit_m: float | None) -> list[float]:
    """Distances to count candidates within, nearest first: halving from the search's radius
    down to ~100 m (the page then comes from a ring holding not many more than it needs), or
    growing from 500 m to 512 km when there is no radius (beyond that: everything)."""
    if limit_m is None:
        return [FIRST_RING_M * 4**n for n in range(UNBOUNDED_RINGS)]
    radii = [limit_m / 2**n for n in range(1, RINGS + 1)]
    return sorted(radius for radius in radii if radius >= SMALLEST_RING_M)


async def _nearest_first(
    engine: SearchEngine, query: AssetQuery, viewer: Viewer, where: str
) -> tuple[list[str], int]:
    """Sorting by distance, on the grid. Counts within growing rings (one multi-search, the
    whole search's count last) say how far the page reaches; the candidates within that ring
    are fetched with their cells and ordered here by their nearest cell, then free capacity."""
    origin, wanted = query.origin, query.pagination.offset + query.pagination.page_size
    assert origin is not None
    attributes = attribute_filter(query, viewer)
    limit_m = query.radius_m + GRID_SLACK_M if query.radius_m else None
    filters = [f"{attributes} AND {reach_filter(origin, radius)}" for radius in ring_radii(limit_m)]
    filters.append(where)
    name, text = engine.name(ASSETS_INDEX.uid), query.text or None
    counted = await engine.client.multi_search(
        [SearchParams(index_uid=name, query=text, filter=ring, hits_per_page=0, page=1) for ring in filters]
    )
    assert isinstance(counted, list)  # no federation: one result per search
    counts = [result.total_hits or 0 for result in counted]
    if wanted > MAX_TOTAL_HITS:
        return [], counts[-1]
    ring = next(n for n, count in enumerate(counts) if count >= wanted or n == len(counts) - 1)
    fetched = await engine.index(ASSETS_INDEX.uid).search(
        text,
        filter=filters[ring],
        limit=min(counts[ring], MAX_TOTAL_HITS),
        attributes_to_retrieve=["asset_id", "cells", "capacity_free"],
    )
    ruler = Ruler.to(origin)  # assets in the same cell: the one with most room first

    def nearest(hit: dict[str, Any]) -> tuple[float, int, str]:
        return nearest_cell_m(ruler, hit["cells"]), -hit["capacity_free"], hit["asset_id"]

    ordered = sorted(fetched.hits, key=nearest)
    return [hit["asset_id"] for hit in query.pagination.window(ordered)], counts[-1]


async def _from_index(
    db: AsyncSession, client: SearchEngine, viewer: Viewer, query: AssetQuery
) -> AssetSearchPage:
    answer = await index_answer(client, query, viewer, partial(_hits_in_order, db, viewer, query))
    return AssetSearchPage.of(
        answer.hits,
        answer.total,
        query.pagination,
        total_exact=answer.total < MAX_TOTAL_HITS,
        facets=answer.facets,
        degraded=False,
    )


async def _from_database(db: AsyncSession, viewer: Viewer, query: AssetQuery) -> AssetSearchPage:
    """Filters, bounding box and a plain text match; no facets, no relevance."""
    sql = select(Asset)
    statuses = query.statuses or tuple(s.value for s in AssetStatus if s != AssetStatus.RETIRED)
    sql = sql.where(Asset.status.in_(statuses))
    if query.kinds:
        sql = sql.where(Asset.kind.in_(query.kinds))
    if query.owner_id:
        sql = sql.where(Asset.owner_organisation_id == query.owner_id)
    if query.region:
        sql = sql.where((await area_of(db, [query.region])).condition().sql(SQL_FIELDS))
    if query.min_free is not None:
        sql = sql.where(Asset.capacity_free >= query.min_free)
    if query.text:
        pattern = f"%{query.text.strip()}%"
        sql = sql.where(or_(Asset.name.like(pattern), Asset.description.like(pattern)))
    origin = query.origin
    reach = Reach(origin, query.radius_m + GRID_SLACK_M).bounds() if origin and query.radius_m else None
    for min_lon, min_lat, max_lon, max_lat in filter(None, (query.bbox, ring_box(query.polygon), reach)):
        sql = sql.where(
            Asset.max_lon >= min_lon,
            Asset.min_lon <= max_lon,
            Asset.max_lat >= min_lat,
            Asset.min_lat <= max_lat,
        )
    order = Asset.capacity_free.desc() if query.sort == "free_capacity" else Asset.name
    rows, viewer = await _visible(db, viewer, sql.order_by(order, Asset.id).limit(DATABASE_ROWS))
    hits = [hit for asset in rows if (hit := _hit(viewer, asset, query))]
    if reach and query.radius_m:
        hits = [hit for hit in hits if (hit.distance_m or 0) <= query.radius_m + GRID_SLACK_M]
    if query.nearest_first:
        hits.sort(key=lambda hit: hit.distance_m or 0)
    return AssetSearchPage.of(
        query.pagination.window(hits),
        len(hits),
        query.pagination,
        total_exact=len(rows) < DATABASE_ROWS,
        facets={},
        degraded=True,
    )


async def search_assets(
    db: AsyncSession, client: SearchEngine | None, principal: Principal, query: AssetQuery
) -> AssetSearchPage:
    viewer = await viewer_for(db, principal, with_grants=False)
    if client is not None:
        try:
            return await _from_index(db, client, viewer, query)
        except SEARCH_FAILURES:
            pass
    return await _from_database(db, viewer, query)
