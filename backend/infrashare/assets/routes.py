"""HTTP: the asset registry — CRUD, list, history, bulk import jobs, export and templates."""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from litestar import Controller, Request, Response, get, patch, post
from litestar.di import NamedDependency, Provide
from litestar.openapi.spec import OpenAPIMediaType, Operation, RequestBody, Schema
from litestar.openapi.spec.enums import OpenAPIType
from litestar.params import FromPath, HeaderParameter, JSONBody, QueryParameter
from litestar.response import Stream
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_202_ACCEPTED

from infrashare.assets import exports, imports, service
from infrashare.assets.columns import COMMON_COLUMNS, template_columns, template_row
from infrashare.assets.models import AssetKind, AssetStatus
from infrashare.assets.schemas import (
    AssetCreate,
    AssetPage,
    AssetRead,
    AssetUpdate,
    ImportJobRead,
    RetireRequest,
)
from infrashare.assets.visibility import Viewer, viewer_for
from infrashare.audit.schemas import EventRead
from infrashare.core.contract import CSV_MEDIA_TYPE, GEOJSON_MEDIA_TYPE, answering, problems
from infrashare.core.db import DbSession
from infrashare.core.errors import FieldError, InvalidInput
from infrashare.core.paging import Paging
from infrashare.core.principal import CurrentPrincipal
from infrashare.core.scopes import requires
from infrashare.regions.service import area_of

KindFilter = Annotated[list[AssetKind] | None, QueryParameter(description="Only these kinds (repeat)")]
StatusFilter = Annotated[
    list[AssetStatus] | None, QueryParameter(description="Only these statuses (default: all but retired)")
]
RegionFilter = Annotated[str | None, QueryParameter(description="Region code; its descendants are included")]
OwnerFilter = Annotated[uuid.UUID | None, QueryParameter(description="Owner organisation id")]
MinFreeFilter = Annotated[int | None, QueryParameter(ge=0, description="Free capacity at least this")]
IfMatch = Annotated[str | None, HeaderParameter(name="If-Match", description='The version read, e.g. "3"')]
_COLUMN_DOCS = "\n".join(
    f"- `{c.name}`{' (required)' if c.required else ''}: {c.description}" for c in COMMON_COLUMNS
)


def _etag(version: int) -> dict[str, str]:
    return {"ETag": f'"{version}"'}


def _if_match(value: str | None) -> int | None:
    if value is None or value.strip() == "*":
        return None
    text = value.strip().removeprefix("W/").strip('"')
    if not text.isdigit():
        raise InvalidInput(
            'If-Match must be the asset\'s version, e.g. "3".',
            errors=[FieldError("If-Match", "not a version")],
        )
    return int(text)


async def _filters(
    db_session: DbSession,
    kind: list[AssetKind] | None,
    status: list[AssetStatus] | None,
    region: str | None,
    owner: uuid.UUID | None,
    min_free: int | None,
) -> service.AssetFilters:
    area = None
    if region:
        area = await area_of(db_session, [region])
        if not area:
            raise InvalidInput(
                f"Unknown region {region}.", errors=[FieldError("region", "unknown region code")]
            )
    return service.AssetFilters(tuple(kind or ()), tuple(status or ()), area, owner, min_free)


async def provide_viewer(db_session: DbSession, principal: CurrentPrincipal) -> Viewer:
    """The caller as the visibility rule sees them, built once per request."""
    return await viewer_for(db_session, principal)


CurrentViewer = NamedDependency[Viewer]
"""Injected by name as ``viewer`` (``AssetController.dependencies``)."""

READ = requires("assets:read")
WRITE = requires("assets:write")


@dataclass
class ImportOperation(Operation):
    """The import's body is the file itself (the handler reads the raw bytes), so OpenAPI is
    told here what it may be."""

    def __post_init__(self) -> None:
        self.request_body = RequestBody(
            required=True,
            description="The file: CSV with a header row (the template's columns), or a GeoJSON FeatureCollection",
            content={
                "text/csv": OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING)),
                "application/geo+json": OpenAPIMediaType(schema=Schema(type=OpenAPIType.OBJECT)),
            },
        )


class AssetController(Controller):
    path = "/api/v1/assets"
    tags = ["assets"]
    dependencies = {"viewer": Provide(provide_viewer)}

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="List a new asset (owner organisation's operators)",
        **WRITE,
    )
    async def create_asset(
        self,
        db_session: DbSession,
        principal: CurrentPrincipal,
        viewer: CurrentViewer,
        data: JSONBody[AssetCreate],
    ) -> Response[AssetRead]:
        asset = await service.create_asset(db_session, principal, data)
        return Response(
            AssetRead.from_model(asset, viewer), status_code=HTTP_201_CREATED, headers=_etag(asset.version)
        )

    @get("/", summary="Assets the caller may see, filtered, in pages (by id)", **READ)
    async def list_assets(
        self,
        db_session: DbSession,
        principal: CurrentPrincipal,
        pagination: Paging,
        viewer: CurrentViewer,
        kind: KindFilter = None,
        status: StatusFilter = None,
        region: RegionFilter = None,
        owner: OwnerFilter = None,
        min_free: MinFreeFilter = None,
    ) -> AssetPage:
        filters = await _filters(db_session, kind, status, region, owner, min_free)
        assets, total = await service.list_assets(db_session, viewer, filters, pagination)
        return AssetPage.of([AssetRead.from_model(a, viewer) for a in assets], total, pagination)

    @get("/{asset_id:uuid}", summary="One asset (404 when the caller may not see it)", **READ)
    async def get_asset(
        self,
        db_session: DbSession,
        principal: CurrentPrincipal,
        viewer: CurrentViewer,
        asset_id: FromPath[uuid.UUID],
    ) -> Response[AssetRead]:
        asset = await service.get_visible(db_session, viewer, asset_id)
        return Response(AssetRead.from_model(asset, viewer), headers=_etag(asset.version))

    @patch(
        "/{asset_id:uuid}",
        summary="Change an asset; needs its version (body or If-Match), 409 if stale",
        responses=problems(428),
        **WRITE,
    )
    async def update_asset(
        self,
        db_session: DbSession,
        principal: CurrentPrincipal,
        viewer: CurrentViewer,
        asset_id: FromPath[uuid.UUID],
        data: JSONBody[AssetUpdate],
        if_match: IfMatch = None,
    ) -> Response[AssetRead]:
        asset = await service.update_asset(db_session, principal, viewer, asset_id, data, _if_match(if_match))
        return Response(AssetRead.from_model(asset, viewer), headers=_etag(asset.version))

    @post(
        "/{asset_id:uuid}/retire",
        status_code=HTTP_200_OK,
        summary="Retire an asset (needs its version)",
        responses=problems(428),
        **WRITE,
    )
    async def retire_asset(
        self,
        db_session: DbSession,
        principal: CurrentPrincipal,
        viewer: CurrentViewer,
        asset_id: FromPath[uuid.UUID],
        data: JSONBody[RetireRequest | None] = None,
        if_match: IfMatch = None,
    ) -> Response[AssetRead]:
        data = data or RetireRequest()
        version = data.version if data.version is not None else _if_match(if_match)
        asset = await service.retire_asset(db_session, principal, viewer, asset_id, version, data.reason)
        return Response(AssetRead.from_model(asset, viewer), headers=_etag(asset.version))

    @get(
        "/{asset_id:uuid}/history",
        summary="Every write to an asset, oldest first (owner, regulators over it)",
        **READ,
    )
    async def history(
        self,
        db_session: DbSession,
        principal: CurrentPrincipal,
        viewer: CurrentViewer,
        asset_id: FromPath[uuid.UUID],
    ) -> list[EventRead]:
        events = await service.asset_history(db_session, viewer, asset_id)
        return [EventRead.model_validate(event) for event in events]

    @get(
        "/export",
        summary="Export what you may see as CSV or GeoJSON (same masking as the API)",
        operation_class=answering(CSV_MEDIA_TYPE, GEOJSON_MEDIA_TYPE),
        **READ,
    )
    async def export(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        principal: CurrentPrincipal,
        viewer: CurrentViewer,
        format: Annotated[Literal["csv", "geojson"], QueryParameter()] = "csv",
        kind: KindFilter = None,
        status: StatusFilter = None,
        region: RegionFilter = None,
        owner: OwnerFilter = None,
        min_free: MinFreeFilter = None,
    ) -> Stream:
        filters = await _filters(db_session, kind, status, region, owner, min_free)
        database = request.app.state.db
        if format == "geojson":
            body = exports.export_geojson(database, viewer, filters)
            media_type, name = GEOJSON_MEDIA_TYPE, "assets.geojson"
        else:
            body = exports.export_csv(database, viewer, filters)
            media_type, name = CSV_MEDIA_TYPE, "assets.csv"
        return Stream(
            body, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'}
        )

    @get(
        "/templates/{kind:str}",
        summary="CSV template for one kind: the header and an example row",
        description="Columns:\n"
        + _COLUMN_DOCS
        + "\n\nplus the kind's attribute columns (see the attribute schemas).",
        media_type=CSV_MEDIA_TYPE,
        **READ,
    )
    async def template(self, principal: CurrentPrincipal, kind: FromPath[AssetKind]) -> Response[bytes]:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=template_columns(kind), lineterminator="\r\n")
        writer.writeheader()
        writer.writerow(template_row(kind))
        return Response(
            ("\ufeff" + buffer.getvalue()).encode(),
            media_type=CSV_MEDIA_TYPE,
            headers={"Content-Disposition": f'attachment; filename="assets-{kind.value}.csv"'},
        )

    @post(
        "/imports",
        summary="Bulk upsert by external_id from CSV (text/csv) or GeoJSON (application/geo+json)",
        description=(
            "All rows are validated first; any error → 422 with every (row, column, message) and nothing"
            f" written. Up to {imports.SYNC_MAX_ROWS:,} rows run in the request (200); larger uploads (or"
            " background=true) run as a job (202, poll Location). Unchanged rows are not written."
        ),
        operation_class=ImportOperation,
        **WRITE,
    )
    async def import_assets(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        principal: CurrentPrincipal,
        format: Annotated[Literal["csv", "geojson"] | None, QueryParameter()] = None,
        filename: Annotated[str | None, QueryParameter(max_length=200)] = None,
        background: Annotated[bool | None, QueryParameter(description="Force a background job")] = None,
    ) -> Response[ImportJobRead]:
        payload = await request.body()
        content_type = request.content_type[0]
        fmt = format or ("csv" if content_type in {"text/csv", "application/csv"} else "geojson")
        job, queued = await imports.submit_import(db_session, principal, payload, fmt, filename, background)
        if queued:
            location = f"/api/v1/assets/imports/{job.id}"
            return Response(
                ImportJobRead.from_model(job), status_code=HTTP_202_ACCEPTED, headers={"Location": location}
            )
        return Response(ImportJobRead.from_model(job), status_code=HTTP_200_OK)

    @get(
        "/imports/{job_id:uuid}", summary="An import job's progress and outcome (your organisation's)", **READ
    )
    async def import_job(
        self, db_session: DbSession, principal: CurrentPrincipal, job_id: FromPath[uuid.UUID]
    ) -> ImportJobRead:
        return ImportJobRead.from_model(await imports.get_job(db_session, principal, job_id))
