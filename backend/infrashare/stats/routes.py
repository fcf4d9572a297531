"""HTTP: statistics for regulators (their jurisdiction) and platform admins (everywhere)."""

from __future__ import annotations

import csv
import io
from typing import Annotated

from litestar import Controller, Response, get
from litestar.params import QueryParameter

from infrashare.core.clock import Now
from infrashare.core.contract import CSV_MEDIA_TYPE
from infrashare.core.db import DbSession
from infrashare.core.principal import CurrentPrincipal
from infrashare.core.scopes import requires
from infrashare.needs.exports import neutralise
from infrashare.stats import service
from infrashare.stats.schemas import NeedStats

Region = Annotated[
    str | None, QueryParameter(description="Narrow to this region (descendants included)", max_length=12)
]


READ = requires("stats:read")


class StatsController(Controller):
    path = "/api/v1/stats"
    tags = ["stats"]

    @get("/needs", summary="Needs by status, kind, industry, district and month; medians; match rate", **READ)
    async def need_stats(
        self, db_session: DbSession, principal: CurrentPrincipal, region: Region = None
    ) -> NeedStats:
        return await service.need_stats(db_session, principal, region)

    @get("/needs.csv", summary="The same statistics as CSV", media_type=CSV_MEDIA_TYPE, **READ)
    async def need_stats_csv(
        self, now: Now, db_session: DbSession, principal: CurrentPrincipal, region: Region = None
    ) -> Response[bytes]:
        stats = await service.need_stats(db_session, principal, region)
        buffer = io.StringIO()
        csv.writer(buffer).writerows([[neutralise(c) for c in row] for row in service.stats_csv_rows(stats)])
        name = f"infrashare-need-stats-{now:%Y%m%d-%H%M%S}.csv"
        return Response(
            buffer.getvalue().encode("utf-8-sig"),
            media_type=CSV_MEDIA_TYPE,
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
