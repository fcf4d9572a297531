"""Request and response bodies for needs: create, update (all optional), read, review, lists."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from infrashare.accounts.models import Industry
from infrashare.assets.models import AssetKind
from infrashare.core.geo import Geometry, LineStringGeometry, PointGeometry
from infrashare.core.paging import Page
from infrashare.needs.lifecycle import NeedAction
from infrashare.needs.models import NeedMode, NeedPurpose, NeedStatus
from infrashare.regions.schemas import RegionCode

if TYPE_CHECKING:
    from infrashare.audit.models import Event
    from infrashare.needs.service import NeedView

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]

MAX_RADIUS_M = 50_000
MAX_CORRIDOR_M = 5_000
MAX_ROUTE_VERTICES = 2000  # the index holds a point every 50 m or so: keep routes modest


def _route_not_too_long(geometry: PointGeometry | LineStringGeometry) -> PointGeometry | LineStringGeometry:
    if isinstance(geometry, LineStringGeometry) and len(geometry.coordinates) > MAX_ROUTE_VERTICES:
        raise ValueError(f"a need's route has at most {MAX_ROUTE_VERTICES} vertices")
    return geometry


NeedGeometry = Annotated[Geometry, AfterValidator(_route_not_too_long)]


class NeedCreate(BaseModel):
    """A new need (a draft). A Point needs ``radius_m``; a route LineString needs ``corridor_m``."""

    model_config = ConfigDict(extra="forbid")

    title: Title
    purpose: NeedPurpose
    mode: NeedMode = NeedMode.SHARE
    wanted_kinds: list[AssetKind] = Field(min_length=1, max_length=len(AssetKind))
    geometry: NeedGeometry
    radius_m: int | None = Field(default=None, ge=1, le=MAX_RADIUS_M, description="Search radius (Point)")
    corridor_m: int | None = Field(
        default=None, ge=1, le=MAX_CORRIDOR_M, description="Corridor width either side (LineString)"
    )
    region_code: RegionCode
    quantity: int = Field(ge=1, le=100_000, description="Capacity units wanted")
    needed_by: date
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)] = ""
    contact_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] = ""
    contact_phone: Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)] = ""
    contact_email: EmailStr | Literal[""] = ""


class NeedUpdate(BaseModel):
    """Changes to a draft or returned need; only the fields sent change."""

    model_config = ConfigDict(extra="forbid")

    title: Title | None = None
    purpose: NeedPurpose | None = None
    mode: NeedMode | None = None
    wanted_kinds: list[AssetKind] | None = Field(default=None, min_length=1, max_length=len(AssetKind))
    geometry: NeedGeometry | None = None
    radius_m: int | None = Field(default=None, ge=1, le=MAX_RADIUS_M)
    corridor_m: int | None = Field(default=None, ge=1, le=MAX_CORRIDOR_M)
    region_code: RegionCode | None = None
    quantity: int | None = Field(default=None, ge=1, le=100_000)
    needed_by: date | None = None
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)] | None = None
    contact_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] | None = None
    contact_phone: Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)] | None = None
    contact_email: EmailStr | Literal[""] | None = None


class NeedRead(BaseModel):
    id: uuid.UUID
    organisation_id: uuid.UUID
    organisation_name: str
    requesting_industry: Industry
    title: str
    purpose: NeedPurpose
    mode: NeedMode
    wanted_kinds: list[AssetKind]
    geometry: dict[str, Any]
    radius_m: int | None
    corridor_m: int | None
    lon: float
    lat: float
    bbox: tuple[float, float, float, float] = Field(description="min lon, min lat, max lon, max lat")
    region_code: str
    region_name: str
    quantity: int
    needed_by: date
    description: str
    contact_name: str
    contact_phone: str
    contact_email: str
    status: NeedStatus
    status_changed_at: datetime
    submitted_at: datetime | None
    last_submitted_at: datetime | None
    published_at: datetime | None
    returned_at: datetime | None
    matched_at: datetime | None
    closed_at: datetime | None
    last_return_reason: str | None
    reviewed_by_organisation_id: uuid.UUID | None = Field(
        description="The regulator that last published or returned it"
    )
    created_at: datetime
    updated_at: datetime
    allowed_actions: list[NeedAction] = Field(description="What the caller may do with this need now")

    @classmethod
    def from_model(cls, view: NeedView) -> NeedRead:
        need = view.need
        return cls(
            id=need.id,
            organisation_id=need.organisation_id,
            organisation_name=view.organisation.name,
            requesting_industry=view.organisation.industry,
            title=need.title,
            purpose=need.purpose,
            mode=need.mode,
            wanted_kinds=need.wanted_kinds,
            geometry=need.geometry,
            radius_m=need.radius_m,
            corridor_m=need.corridor_m,
            lon=need.lon,
            lat=need.lat,
            bbox=(need.min_lon, need.min_lat, need.max_lon, need.max_lat),
            region_code=need.region_code,
            region_name=view.region_name,
            quantity=need.quantity,
            needed_by=need.needed_by,
            description=need.description,
            contact_name=need.contact_name,
            contact_phone=need.contact_phone,
            contact_email=need.contact_email,
            status=need.status,
            status_changed_at=need.status_changed_at,
            submitted_at=need.submitted_at,
            last_submitted_at=need.last_submitted_at,
            published_at=need.published_at,
            returned_at=need.returned_at,
            matched_at=need.matched_at,
            closed_at=need.closed_at,
            last_return_reason=need.last_return_reason,
            reviewed_by_organisation_id=need.reviewed_by_organisation_id,
            created_at=need.created_at,
            updated_at=need.updated_at,
            allowed_actions=view.allowed,
        )


NeedPage = Page[NeedRead]


class ReturnBody(BaseModel):
    reason: Reason


class NeedReason(BaseModel):
    reason: Reason | None = None


class BulkPublish(BaseModel):
    ids: list[uuid.UUID] = Field(min_length=1, max_length=200)


class BulkPublishResult(BaseModel):
    published: list[uuid.UUID]


class NeedTimelineEntry(BaseModel):
    seq: int
    occurred_at: datetime
    action: str
    actor_user_id: uuid.UUID | None
    actor_organisation_id: uuid.UUID | None
    status: str | None = Field(description="The need's status after this event")
    reason: str | None

    @classmethod
    def from_model(cls, event: Event) -> NeedTimelineEntry:
        return cls(
            seq=event.seq,
            occurred_at=event.occurred_at,
            action=event.action,
            actor_user_id=event.actor_user_id,
            actor_organisation_id=event.actor_organisation_id,
            status=(event.after or {}).get("status"),
            reason=event.reason,
        )


class ExpiryResult(BaseModel):
    expired: list[uuid.UUID]
