"""HTTP: list and look up administrative divisions."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get
from litestar.params import FromPath, QueryParameter

from infrashare.core.contract import ANY_SCOPE
from infrashare.core.db import DbSession
from infrashare.core.paging import Paging
from infrashare.core.principal import CurrentPrincipal
from infrashare.core.scopes import requires
from infrashare.regions import service
from infrashare.regions.schemas import RegionDetail, RegionPage, RegionRead, RegionSearchPage
from infrashare.regions.search import find_regions


class RegionController(Controller):
    path = "/api/v1/regions"
    tags = ["regions"]

    @get("/", summary="List administrative divisions", **requires(ANY_SCOPE))
    async def list_regions(
        self,
        db_session: DbSession,
        principal: CurrentPrincipal,
        pagination: Paging,
        parent: Annotated[str | None, QueryParameter(description="Only children of this code")] = None,
        level: Annotated[str | None, QueryParameter(description="province, city, county or street")] = None,
        q: Annotated[
            str | None, QueryParameter(description="Name, pinyin or code prefix", max_length=50)
        ] = None,
    ) -> RegionPage:
        filters = service.RegionFilters(parent=parent, level=level, text=q)
        regions, total = await service.search_regions(db_session, filters, pagination)
        return RegionPage.of([RegionRead.model_validate(region) for region in regions], total, pagination)

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
    pagination: Paging,
    q: Annotated[str, QueryParameter(min_length=1, max_length=50)],
    level: Annotated[str | None, QueryParameter(description="province, city, county or street")] = None,
    within: Annotated[str | None, QueryParameter(description="Only divisions below this code")] = None,
) -> RegionSearchPage:
    found = await find_regions(db_session, request.app.state.search, q, level, within, pagination)
    items = [RegionRead.model_validate(region) for region in found.regions]
    return RegionSearchPage.of(items, found.total, pagination, degraded=found.degraded)
