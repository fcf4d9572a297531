"""HTTP: search assets (and, with the needs index, needs), and the matches of a need."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from litestar import Request, get
from litestar.params import FromPath, FromQuery, QueryParameter

from infrashare.accounts.models import Industry
from infrashare.assets.models import AssetKind
from infrashare.core.db import DbSession
from infrashare.core.errors import FieldError, InvalidInput
from infrashare.core.geo import (
    BBox,
    BoxParameter,
    PolygonParameter,
    Position,
    parse_box,
    parse_point,
    parse_polygon,
)
from infrashare.core.paging import Paging
from infrashare.core.principal import CurrentPrincipal
from infrashare.core.scopes import requires
from infrashare.matching.need_search import NeedQuery, NeedSortOrder, search_needs
from infrashare.matching.schemas import (
    AssetSearchPage,
    MatchList,
    NeedHit,
    NeedSearchPage,
    PlannedWork,
    SortOrder,
)
from infrashare.matching.search import AssetQuery, search_assets
from infrashare.matching.service import matches_for_need, planned_works
from infrashare.needs.models import NeedMode, NeedPurpose, NeedStatus
from infrashare.needs.schemas import NeedRead
from infrashare.regions.schemas import REGION_CODE_PATTERN
from infrashare.regions.service import area_of

Many = Annotated[list[str] | None, QueryParameter(description="Repeat the parameter for several values")]
Text = Annotated[str, QueryParameter(max_length=200, description="Words; Chinese or English")]
Region = Annotated[
    str | None, QueryParameter(pattern=REGION_CODE_PATTERN, description="Division code, descendants included")
]
Near = Annotated[str | None, QueryParameter(description="lon,lat — for radius and distance sort")]
Radius = Annotated[int | None, QueryParameter(ge=1, le=200_000)]


@dataclass(frozen=True)
class GeoParameters:
    bbox: BBox | None
    near: Position | None
    radius_m: int | None
    polygon: list[Position]


def _geo(bbox: str | None, near: str | None, radius_m: int | None, polygon: str | None) -> GeoParameters:
    point = parse_point("near", near) if near else None
    if radius_m and not point:
        raise InvalidInput("radius_m needs near.", errors=[FieldError("near", "required with radius_m")])
    return GeoParameters(
        bbox=parse_box("bbox", bbox) if bbox else None,
        near=point,
        radius_m=radius_m,
        polygon=parse_polygon("polygon", polygon) if polygon else [],
    )


@get(
    "/api/v1/search/assets",
    tags=["search"],
    summary="Search assets: text, filters, facets, geo",
    **requires("assets:read"),
)
async def search_assets_route(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    principal: CurrentPrincipal,
    pagination: Paging,
    q: Text = "",
    kind: Many = None,
    status: Many = None,
    industry: Many = None,
    owner: Annotated[uuid.UUID | None, QueryParameter(description="Owner organisation id")] = None,
    region: Region = None,
    min_free: Annotated[int | None, QueryParameter(ge=0)] = None,
    min_power_kw: Annotated[float | None, QueryParameter(ge=0)] = None,
    power_guarantee: FromQuery[bool | None] = None,
    ready_by: Annotated[date | None, QueryParameter(description="Ready on or before this date")] = None,
    bbox: BoxParameter = None,
    near: Near = None,
    radius_m: Radius = None,
    polygon: PolygonParameter = None,
    sort: FromQuery[SortOrder] = "relevance",
) -> AssetSearchPage:
    geo = _geo(bbox, near, radius_m, polygon)
    query = AssetQuery(
        text=q.strip(),
        kinds=tuple(kind or ()),
        statuses=tuple(status or ()),
        industries=tuple(industry or ()),
        owner_id=owner,
        region=region,
        min_free=min_free,
        min_power_kw=min_power_kw,
        power_guarantee=power_guarantee,
        ready_by=ready_by,
        bbox=geo.bbox,
        near=geo.near,
        radius_m=geo.radius_m,
        polygon=geo.polygon,
        sort=sort,
        pagination=pagination,
    )
    return await search_assets(db_session, request.app.state.search, principal, query)


@get(
    "/api/v1/search/needs",
    tags=["search"],
    summary="Search needs: text, filters, facets, geo (only needs you may see)",
    **requires("needs:read"),
)
async def search_needs_route(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    principal: CurrentPrincipal,
    pagination: Paging,
    q: Text = "",
    status: Annotated[
        list[NeedStatus] | None, QueryParameter(description="Default: every state you may see")
    ] = None,
    kind: Annotated[list[AssetKind] | None, QueryParameter(description="Any of these wanted kinds")] = None,
    purpose: Annotated[list[NeedPurpose] | None, QueryParameter(description="Any of these purposes")] = None,
    mode: Annotated[list[NeedMode] | None, QueryParameter(description="share or co_build")] = None,
    industry: Annotated[list[Industry] | None, QueryParameter(description="Requesting industry")] = None,
    organisation: Annotated[
        uuid.UUID | None, QueryParameter(description="Requesting organisation id")
    ] = None,
    region: Region = None,
    needed_by_from: Annotated[date | None, QueryParameter(description="Needed by on or after")] = None,
    needed_by_to: Annotated[date | None, QueryParameter(description="Needed by on or before")] = None,
    bbox: BoxParameter = None,
    near: Near = None,
    radius_m: Radius = None,
    polygon: PolygonParameter = None,
    sort: Annotated[
        NeedSortOrder, QueryParameter(description="distance needs near; newest is by publication")
    ] = "relevance",
) -> NeedSearchPage:
    geo = _geo(bbox, near, radius_m, polygon)
    if sort == "distance" and geo.near is None:
        raise InvalidInput(
            "sort=distance needs near.", errors=[FieldError("near", "required with sort=distance")]
        )
    query = NeedQuery(
        text=q.strip(),
        statuses=tuple(status or ()),
        kinds=tuple(kind or ()),
        purposes=tuple(purpose or ()),
        modes=tuple(mode or ()),
        industries=tuple(industry or ()),
        organisation_id=organisation,
        region=region,
        needed_by_from=needed_by_from,
        needed_by_to=needed_by_to,
        bbox=geo.bbox,
        near=geo.near,
        radius_m=geo.radius_m,
        polygon=geo.polygon,
        sort=sort,
        pagination=pagination,
    )
    found = await search_needs(db_session, request.app.state.search, principal, query)
    return NeedSearchPage.of(
        [NeedHit(need=NeedRead.from_model(hit.view), distance_m=hit.distance_m) for hit in found.hits],
        found.total,
        pagination,
        facets=found.facets,
        degraded=found.degraded,
    )


@get(
    "/api/v1/needs/{need_id:uuid}/matches",
    tags=["matching"],
    summary="Ranked candidate assets for a need",
    **requires("matches:read"),
)
async def need_matches(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    principal: CurrentPrincipal,
    need_id: FromPath[uuid.UUID],
    limit: Annotated[int, QueryParameter(ge=1, le=100)] = 20,
) -> MatchList:
    return await matches_for_need(db_session, request.app.state.search, principal, need_id, limit)


@get(
    "/api/v1/planned-works",
    tags=["matching"],
    summary="Planned metro lines, tunnels, bridges and roads with reserved space, and how many operators want in",
    **requires("needs:read"),
)
async def list_planned_works(
    db_session: DbSession,
    principal: CurrentPrincipal,
    region: Annotated[str | None, QueryParameter(description="Region code; descendants included")] = None,
) -> list[PlannedWork]:
    area = None
    if region:
        area = await area_of(db_session, [region])
        if not area:
            raise InvalidInput(
                f"Unknown region {region}.", errors=[FieldError("region", "unknown region code")]
            )
    return await planned_works(db_session, principal, area)
