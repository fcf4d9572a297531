"""HTTP: needs — drafts, the lifecycle verbs, the regulator's review queue, the list, map and exports."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, patch, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK

from infrashare.accounts.models import Industry
from infrashare.assets.models import AssetKind
from infrashare.core.clock import Now
from infrashare.core.contract import CSV_MEDIA_TYPE, GEOJSON_MEDIA_TYPE, XLSX_MEDIA_TYPE, problems
from infrashare.core.db import DbSession
from infrashare.core.geo import BoxParameter, parse_box
from infrashare.core.paging import Paging
from infrashare.core.principal import CurrentPrincipal
from infrashare.core.scopes import requires
from infrashare.needs import exports, queries, service, workflow
from infrashare.needs.models import NeedMode, NeedPurpose, NeedStatus
from infrashare.needs.queries import NeedFilters
from infrashare.needs.schemas import (
    BulkPublish,
    BulkPublishResult,
    NeedCreate,
    NeedPage,
    NeedRead,
    NeedReason,
    NeedTimelineEntry,
    NeedUpdate,
    ReturnBody,
)


async def provide_filters(
    region: Annotated[
        str | None, QueryParameter(description="Region code; descendant regions included", max_length=12)
    ] = None,
    industry: Annotated[list[Industry] | None, QueryParameter(description="Requesting industry")] = None,
    kind: Annotated[list[AssetKind] | None, QueryParameter(description="Any of these wanted kinds")] = None,
    purpose: Annotated[list[NeedPurpose] | None, QueryParameter()] = None,
    mode: Annotated[list[NeedMode] | None, QueryParameter()] = None,
    status: Annotated[
        list[NeedStatus] | None,
        QueryParameter(description="Default: published. Others show only needs you may see."),
    ] = None,
    organisation_id: Annotated[
        uuid.UUID | None, QueryParameter(description="Requesting organisation")
    ] = None,
    submitted_since: Annotated[date | None, QueryParameter(description="First submitted on or after")] = None,
    published_since: Annotated[date | None, QueryParameter(description="Published on or after")] = None,
    published_until: Annotated[date | None, QueryParameter(description="Published on or before")] = None,
    bbox: BoxParameter = None,
    q: Annotated[str | None, QueryParameter(description="Words in the title", max_length=100)] = None,
) -> NeedFilters:
    return NeedFilters(
        region=region,
        industries=industry or [],
        kinds=kind or [],
        purposes=purpose or [],
        modes=mode or [],
        statuses=status or [NeedStatus.PUBLISHED],
        organisation_id=organisation_id,
        submitted_since=submitted_since,
        published_since=published_since,
        published_until=published_until,
        bbox=parse_box("bbox", bbox) if bbox else None,
        q=q,
    )


def _download(content: bytes, media_type: str, extension: str, now: datetime) -> Response[bytes]:
    name = f"infrashare-needs-{now:%Y%m%d-%H%M%S}.{extension}"
    return Response(
        content, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


READ = requires("needs:read")
WRITE = requires("needs:write")


class NeedController(Controller):
    path = "/api/v1/needs"
    tags = ["needs"]
    dependencies = {"filters": Provide(provide_filters)}

    @get("/", summary="The needs list (published by default), filtered and paged", **READ)
    async def list_needs(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        principal: CurrentPrincipal,
        filters: NamedDependency[NeedFilters],
        pagination: Paging,
    ) -> NeedPage:
        views, total = await queries.list_needs(db_session, principal, filters, pagination)
        return NeedPage.of([NeedRead.from_model(v) for v in views], total, pagination)

    @get(
        "/list.geojson",
        summary="The needs list as a GeoJSON FeatureCollection for the map",
        media_type=GEOJSON_MEDIA_TYPE,
        **READ,
    )
    async def map_needs(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        principal: CurrentPrincipal,
        filters: NamedDependency[NeedFilters],
    ) -> Response[dict[str, Any]]:
        views = await queries.all_needs(db_session, principal, filters)
        return Response(queries.feature_collection(views, filters), media_type=GEOJSON_MEDIA_TYPE)

    @get(
        "/export.csv",
        summary="The filtered needs list as CSV (with a generated-at line)",
        media_type=CSV_MEDIA_TYPE,
        **READ,
    )
    async def export_csv(
        self,
        now: Now,
        db_session: DbSession,
        principal: CurrentPrincipal,
        filters: NamedDependency[NeedFilters],
    ) -> Response[bytes]:
        views = await queries.all_needs(db_session, principal, filters)
        return _download(exports.to_csv(views, filters, now), CSV_MEDIA_TYPE, "csv", now)

    @get(
        "/export.xlsx",
        summary="The filtered needs list as an Excel workbook (with a generated-at line)",
        media_type=XLSX_MEDIA_TYPE,
        **READ,
    )
    async def export_xlsx(
        self,
        now: Now,
        db_session: DbSession,
        principal: CurrentPrincipal,
        filters: NamedDependency[NeedFilters],
    ) -> Response[bytes]:
        views = await queries.all_needs(db_session, principal, filters)
        return _download(exports.to_xlsx(views, filters, now), XLSX_MEDIA_TYPE, "xlsx", now)

    @get("/review-queue", summary="Submitted needs in my jurisdiction, oldest first (regulators)", **READ)
    async def review_queue(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        principal: CurrentPrincipal,
        pagination: Paging,
    ) -> NeedPage:
        views, total = await workflow.review_queue(db_session, principal, pagination)
        return NeedPage.of([NeedRead.from_model(v) for v in views], total, pagination)

    @post("/", summary="Post a need (a draft of my organisation)", **WRITE)
    async def create_need(
        self, db_session: DbSession, principal: CurrentPrincipal, data: JSONBody[NeedCreate]
    ) -> NeedRead:
        return NeedRead.from_model(await service.create_need(db_session, principal, data))

    @post(
        "/bulk-publish",
        status_code=HTTP_200_OK,
        summary="Publish several submitted needs: all or nothing (regulators)",
        responses=problems(409),
        description="If any need cannot be published, none is; the problem's errors name each one as ids[i].",
        **WRITE,
    )
    async def bulk_publish(
        self, db_session: DbSession, principal: CurrentPrincipal, data: JSONBody[BulkPublish]
    ) -> BulkPublishResult:
        return BulkPublishResult(published=await workflow.bulk_publish_needs(db_session, principal, data.ids))

    @get("/{need_id:uuid}", summary="One need, with what I may do with it", **READ)
    async def get_need(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        principal: CurrentPrincipal,
        need_id: FromPath[uuid.UUID],
    ) -> NeedRead:
        return NeedRead.from_model(await service.get_need(db_session, principal, need_id))

    @patch("/{need_id:uuid}", summary="Edit a draft or returned need (its organisation's operators)", **WRITE)
    async def update_need(
        self,
        db_session: DbSession,
        principal: CurrentPrincipal,
        need_id: FromPath[uuid.UUID],
        data: JSONBody[NeedUpdate],
    ) -> NeedRead:
        return NeedRead.from_model(await service.update_need(db_session, principal, need_id, data))

    @get(
        "/{need_id:uuid}/timeline",
        summary="The need's history: every transition with actor, time and reason",
        **READ,
    )
    async def timeline(
        self, db_session: DbSession, principal: CurrentPrincipal, need_id: FromPath[uuid.UUID]
    ) -> list[NeedTimelineEntry]:
        events = await service.timeline(db_session, principal, need_id)
        return [NeedTimelineEntry.from_model(event) for event in events]

    @post("/{need_id:uuid}/submit", status_code=HTTP_200_OK, summary="Submit a draft for review", **WRITE)
    async def submit(
        self, db_session: DbSession, principal: CurrentPrincipal, need_id: FromPath[uuid.UUID]
    ) -> NeedRead:
        return NeedRead.from_model(await workflow.submit_need(db_session, principal, need_id))

    @post(
        "/{need_id:uuid}/resubmit",
        status_code=HTTP_200_OK,
        summary="Resubmit a returned need after editing it",
        **WRITE,
    )
    async def resubmit(
        self, db_session: DbSession, principal: CurrentPrincipal, need_id: FromPath[uuid.UUID]
    ) -> NeedRead:
        return NeedRead.from_model(await workflow.resubmit_need(db_session, principal, need_id))

    @post(
        "/{need_id:uuid}/publish",
        status_code=HTTP_200_OK,
        summary="Publish a submitted need (regulators)",
        **WRITE,
    )
    async def publish(
        self, db_session: DbSession, principal: CurrentPrincipal, need_id: FromPath[uuid.UUID]
    ) -> NeedRead:
        return NeedRead.from_model(await workflow.publish_need(db_session, principal, need_id))

    @post(
        "/{need_id:uuid}/return",
        status_code=HTTP_200_OK,
        summary="Return a submitted need with a reason (regulators)",
        **WRITE,
    )
    async def return_(
        self,
        db_session: DbSession,
        principal: CurrentPrincipal,
        need_id: FromPath[uuid.UUID],
        data: JSONBody[ReturnBody],
    ) -> NeedRead:
        return NeedRead.from_model(await workflow.return_need(db_session, principal, need_id, data.reason))

    @post(
        "/{need_id:uuid}/withdraw",
        status_code=HTTP_200_OK,
        summary="Withdraw a need (its organisation)",
        **WRITE,
    )
    async def withdraw(
        self,
        db_session: DbSession,
        principal: CurrentPrincipal,
        need_id: FromPath[uuid.UUID],
        data: JSONBody[NeedReason | None] = None,
    ) -> NeedRead:
        reason = data.reason if data else None
        return NeedRead.from_model(await workflow.withdraw_need(db_session, principal, need_id, reason))

    @post(
        "/{need_id:uuid}/match",
        status_code=HTTP_200_OK,
        summary="Mark a published need matched (its organisation)",
        **WRITE,
    )
    async def match(
        self, db_session: DbSession, principal: CurrentPrincipal, need_id: FromPath[uuid.UUID]
    ) -> NeedRead:
        return NeedRead.from_model(await workflow.match_need(db_session, principal, need_id))

    @post(
        "/{need_id:uuid}/fulfil",
        status_code=HTTP_200_OK,
        summary="Mark a matched need fulfilled (its organisation)",
        **WRITE,
    )
    async def fulfil(
        self, db_session: DbSession, principal: CurrentPrincipal, need_id: FromPath[uuid.UUID]
    ) -> NeedRead:
        return NeedRead.from_model(await workflow.fulfil_need(db_session, principal, need_id))
