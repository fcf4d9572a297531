"""HTTP: search assets (and, with the needs index, needs), and the matches of a need."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from litestar import Request, get
from litestar.params import FromPath, QueryParameter

from infrashare.accounts.principal import CurrentPrincipal
from infrashare.core.db import DbSession
from infrashare.core.errors import FieldError, InvalidInput
from infrashare.matching.geometry import Position
from infrashare.matching.schemas import AssetSearchResult, MatchList, SortOrder
from infrashare.matching.search import AssetQuery, search_assets
from infrashare.matching.service import matches_for_need
from infrashare.oauth.scopes import requires

Many = Annotated[list[str] | None, QueryParameter(description="Repeat the parameter for several values")]


def _numbers(field: str, text: str, count: int | None) -> list[float]:
    try:
        values = [float(part) for part in text.split(",")]
    except ValueError as exc:
        raise InvalidInput(
            f"{field} must be numbers separated by commas.", errors=[FieldError(field, "not numbers")]
        ) from exc
    if count is not None and len(values) != count:
        raise InvalidInput(
            f"{field} needs {count} numbers.", errors=[FieldError(field, f"expected {count} numbers")]
        )
    return values


def _position(field: str, lon: float, lat: float) -> Position:
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise InvalidInput(
            f"{field} is outside WGS84 ranges.", errors=[FieldError(field, "lon -180..180, lat -90..90")]
        )
    return lon, lat


def _polygon(text: str | None) -> list[Position]:
    if not text:
        return []
    ring = [_position("polygon", *_numbers("polygon", pair, 2)) for pair in text.split(";")]
    if len(ring) < 3:
        raise InvalidInput(
            "A polygon needs at least three corners.", errors=[FieldError("polygon", "at least 3 points")]
        )
    return ring


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
    q: Annotated[str, QueryParameter(max_length=200, description="Words; Chinese or English")] = "",
    kind: Many = None,
    status: Many = None,
    industry: Many = None,
    owner: Annotated[uuid.UUID | None, QueryParameter(description="Owner organisation id")] = None,
    region: Annotated[
        str | None,
        QueryParameter(pattern=r"^\d{6}(\d{3})?$", description="Division code, descendants included"),
    ] = None,
    min_free: Annotated[int | None, QueryParameter(ge=0)] = None,
    min_power_kw: Annotated[float | None, QueryParameter(ge=0)] = None,
    power_guarantee: bool | None = None,
    ready_by: Annotated[date | None, QueryParameter(description="Ready on or before this date")] = None,
    bbox: Annotated[str | None, QueryParameter(description="min_lon,min_lat,max_lon,max_lat")] = None,
    near: Annotated[str | None, QueryParameter(description="lon,lat — for radius and distance sort")] = None,
    radius_m: Annotated[int | None, QueryParameter(ge=1, le=200_000)] = None,
    polygon: Annotated[str | None, QueryParameter(description="lon,lat;lon,lat;lon,lat…")] = None,
    sort: SortOrder = "relevance",
    page: Annotated[int, QueryParameter(ge=1, le=500)] = 1,
    per_page: Annotated[int, QueryParameter(ge=1, le=200)] = 20,
) -> AssetSearchResult:
    box = _numbers("bbox", bbox, 4) if bbox else None
    point = _position("near", *_numbers("near", near, 2)) if near else None
    if radius_m and not point:
        raise InvalidInput("radius_m needs near.", errors=[FieldError("near", "required with radius_m")])
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
        bbox=(box[0], box[1], box[2], box[3]) if box else None,
        near=point,
        radius_m=radius_m,
        polygon=_polygon(polygon),
        sort=sort,
        page=page,
        per_page=per_page,
    )
    return await search_assets(db_session, request.app.state.search, principal, query)


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
