"""HTTP: list and look up administrative divisions."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get
from litestar.params import FromPath, QueryParameter

from infrashare.core.contract import ANY_SCOPE
from infrashare.core.db import DbSession
from infrashare.core.principal import CurrentPrincipal
from infrashare.core.scopes import requires
from infrashare.regions import service
from infrashare.regions.schemas import RegionDetail, RegionRead, RegionSearchResult
from infrashare.regions.search import find_regions


class RegionController(Controller):
    path = "/api/v1/regions"
    tags = ["regions"]

    @get("/", summary="List administrative divisions", **requires(ANY_SCOPE))
    async def list_regions(
        self,
        db_session: DbSession,
        principal: CurrentPrincipal,
        parent: Annotated[str | None, QueryParameter(description="Only children of this code")] = None,
        level: Annotated[str | None, QueryParameter(description="province, city, county or street")] = None,
        q: Annotated[
            str | None, QueryParameter(description="Name, pinyin or code prefix", max_length=50)
        ] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=5000)] = 500,
    ) -> list[RegionRead]:
        regions = await service.search_regions(db_session, parent, level, q, limit)
        return [RegionRead.model_validate(region) for region in regions]

    @get("/{code:str}", summary="One division with its ancestors and children", **requires(ANY_SCOPE))
    async def get_region(
        self, db_session: DbSession, principal: CurrentPrincipal, code: FromPath[str]
    ) -> RegionDetail:
        region = await service.get_region(db_session, code)
        ancestors = await service.ancestors(db_session, region)
        return RegionDetail.from_model(region, ancestors, await service.children(db_session, code))


@get(
    "/api/v1/search/regions",
    tags=["regions", "search"],
    summary="Find divisions by name, pinyin or code",
    **requires(ANY_SCOPE),
)
async def search_regions(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    principal: CurrentPrincipal,
    q: Annotated[str, QueryParameter(min_length=1, max_length=50)],
    level: Annotated[str | None, QueryParameter(description="province, city, county or street")] = None,
    within: Annotated[str | None, QueryParameter(description="Only divisions below this code")] = None,
    limit: Annotated[int, QueryParameter(ge=1, le=100)] = 20,
) -> RegionSearchResult:
    found = await find_regions(db_session, request.app.state.search, q, level, within, limit)
    hits = [RegionRead.model_validate(region) for region in found.regions]
    return RegionSearchResult(hits=hits, total=found.total, degraded=found.degraded)
