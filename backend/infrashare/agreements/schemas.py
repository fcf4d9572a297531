"""Request and response bodies for sharing requests, approval rules and notifications."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from infrashare.agreements.lifecycle import RequestAction
from infrashare.agreements.models import RejectionReason, RequestStatus
from infrashare.assets.models import AssetKind
from infrashare.core.paging import Page
from infrashare.regions.schemas import RegionCode

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


class NotificationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    request_id: uuid.UUID | None
    need_id: uuid.UUID | None = Field(description="For match.new: your need")
    asset_id: uuid.UUID | None = Field(description="For match.new: the asset that could serve it")
    event: str
    title: str
    status: RequestStatus | None
    created_at: datetime
    read_at: datetime | None


class NotificationPage(Page[NotificationRead]):
    unread: int = Field(description="Unread notifications of my organisation (all of them, not this page's)")


class ExpiryResult(BaseModel):
    expired: list[uuid.UUID]
