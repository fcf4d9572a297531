"""Request and response bodies for sharing requests, approval rules and notifications."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from infrashare.agreements.lifecycle import RequestAction
from infrashare.agreements.models import NotificationEvent, RejectionReason, RequestStatus
from infrashare.assets.models import AssetKind
from infrashare.core.paging import Page
from infrashare.regions.schemas import RegionCode

if TYPE_CHECKING:
    from infrashare.agreements.service import RequestView
    from infrashare.audit.models import Event

Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Terms = Annotated[str, StringConstraints(strip_whitespace=True, max_length=10_000)]
Units = Annotated[int, Field(ge=1, le=1_000_000, description="Capacity units of the asset")]
Fee = Annotated[int, Field(ge=0, le=10_000_000_000, description="Annual fee in CNY")]


class RequestCreate(BaseModel):
    """Ask an asset's owner for ``units`` capacity units from ``start_date`` to ``end_date``."""

    model_config = ConfigDict(extra="forbid")

    asset_id: uuid.UUID
    units: Units
    start_date: date
    end_date: date = Field(description="Last day of the term; the agreement expires after it")
    terms: Terms = ""
    annual_fee_cny: Fee | None = None
    need_id: uuid.UUID | None = Field(default=None, description="One of your published needs")


class Counter(BaseModel):
    """The owner's counter-proposal: the fields to change (at least one), and why."""

    model_config = ConfigDict(extra="forbid")

    units: Units | None = None
    start_date: date | None = None
    end_date: date | None = None
    terms: Terms | None = None
    annual_fee_cny: Fee | None = None
    reason: Reason | None = None


class Rejection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason_code: RejectionReason
    reason: Reason


class RequiredReason(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Reason


class RequestReason(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Reason | None = None


class Termination(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Reason
    notice_date: date = Field(description="The day written notice was given to the other side")


class PartyRead(BaseModel):
    id: uuid.UUID
    name: str


class AssetSummary(BaseModel):
    id: uuid.UUID
    name: str
    kind: AssetKind
    region_code: str
    capacity_unit: str


class RequestRead(BaseModel):
    id: uuid.UUID
    status: RequestStatus
    requester: PartyRead
    owner: PartyRead
    asset: AssetSummary
    need_id: uuid.UUID | None
    units: int
    start_date: date
    end_date: date
    terms: str
    annual_fee_cny: int | None
    reserved_units: int
    owner_due_at: datetime
    review_due_at: datetime | None
    overdue: bool = Field(description="The party who must act next has missed its deadline")
    overdue_party: str | None = Field(description="owner or regulator, when overdue")
    status_changed_at: datetime
    answered_at: datetime | None
    countered_at: datetime | None
    accepted_at: datetime | None
    referred_at: datetime | None
    activated_at: datetime | None
    disputed_at: datetime | None
    closed_at: datetime | None
    rejected_by: str | None
    notice_date: date | None
    review_rule_id: uuid.UUID | None
    last_reason: str | None
    created_at: datetime
    version: int
    allowed_actions: list[RequestAction]

    @classmethod
    def from_model(cls, view: RequestView) -> RequestRead:
        r, asset = view.request, view.asset
        overdue = view.overdue_party
        return cls(
            id=r.id,
            status=r.status,
            requester=PartyRead(id=r.requester_organisation_id, name=view.requester_name),
            owner=PartyRead(id=r.owner_organisation_id, name=view.owner_name),
            asset=AssetSummary(
                id=asset.id,
                name=asset.name,
                kind=asset.kind,
                region_code=asset.region_code,
                capacity_unit=asset.capacity_unit,
            ),
            need_id=r.need_id,
            units=r.units,
            start_date=r.start_date,
            end_date=r.end_date,
            terms=r.terms,
            annual_fee_cny=r.annual_fee_cny,
            reserved_units=r.reserved_units,
            owner_due_at=r.owner_due_at,
            review_due_at=r.review_due_at,
            overdue=overdue is not None,
            overdue_party=overdue,
            status_changed_at=r.status_changed_at,
            answered_at=r.answered_at,
            countered_at=r.countered_at,
            accepted_at=r.accepted_at,
            referred_at=r.referred_at,
            activated_at=r.activated_at,
            disputed_at=r.disputed_at,
            closed_at=r.closed_at,
            rejected_by=r.rejected_by,
            notice_date=r.notice_date,
            review_rule_id=r.review_rule_id,
            last_reason=r.last_reason,
            created_at=r.created_at,
            version=r.version,
            allowed_actions=view.allowed,
        )


RequestPage = Page[RequestRead]


class RequestTimelineEntry(BaseModel):
    seq: int
    occurred_at: datetime
    action: str
    actor_organisation_id: uuid.UUID | None
    actor_user_id: uuid.UUID | None
    status: str | None
    reason_code: str | None
    reason: str | None
    hash: str

    @classmethod
    def from_model(
        cls, event: Event, remarks: dict[tuple[str, str | None], str | None]
    ) -> RequestTimelineEntry:
        """``remarks`` maps (action, status after) to the reason code given with that transition."""
        status = (event.after or {}).get("status")
        return cls(
            seq=event.seq,
            occurred_at=event.occurred_at,
            action=event.action,
            actor_organisation_id=event.actor_organisation_id,
            actor_user_id=event.actor_user_id,
            status=status,
            reason_code=remarks.get((event.action, status)),
            reason=event.reason,
            hash=event.hash,
        )


class RuleCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    region_code: RegionCode
    asset_kind: AssetKind | None = None
    min_units: Annotated[int, Field(ge=1)] | None = None
    co_build_only: bool = False
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] = ""


class RuleRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    region_code: str
    asset_kind: AssetKind | None
    min_units: int | None
    co_build_only: bool
    description: str
    is_active: bool
    created_at: datetime


class RequestNotificationParams(BaseModel):
    """What a ``sharing_request.*`` notification is about: the asset, and how many units of what."""

    asset_name: str = Field(examples=["福田站旁铁塔"])
    units: int
    capacity_unit: str = Field(examples=["mounting_positions"])


class MatchNotificationParams(BaseModel):
    """What a ``match.new`` notification is about: your need and the asset that could serve it."""

    need_title: str
    asset_name: str
    distance_m: int | None = Field(
        description="Metres from the need to the asset; null when the asset's location is known "
        "to you only to about 1 km"
    )
    location_precision: Literal["exact", "approx_1km"]


class SentenceNotificationParams(BaseModel):
    """A notification written before notifications carried data: its original sentence."""

    text: str


NotificationParams = RequestNotificationParams | MatchNotificationParams | SentenceNotificationParams


class NotificationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    request_id: uuid.UUID | None
    need_id: uuid.UUID | None = Field(description="For match.new: your need")
    asset_id: uuid.UUID | None = Field(description="For match.new: the asset that could serve it")
    event: NotificationEvent = Field(
        description="What happened: `sharing_request.created`, `sharing_request.<action>` (the action "
        "taken on the request) or `match.new`. Clients word it in their reader's language."
    )
    params: NotificationParams = Field(
        description="What it is about: `RequestNotificationParams` for `sharing_request.*`, "
        "`MatchNotificationParams` for `match.new`; `SentenceNotificationParams` for notifications "
        "written before events carried parameters."
    )
    status: RequestStatus | None
    created_at: datetime
    read_at: datetime | None


class NotificationPage(Page[NotificationRead]):
    unread: int = Field(description="Unread notifications of my organisation (all of them, not this page's)")


class ExpiryResult(BaseModel):
    expired: list[uuid.UUID]
