"""Webhook bodies."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from pydantic import AnyUrl, BaseModel, ConfigDict, Field, field_validator

from infrashare.core.paging import Page
from infrashare.regions.schemas import RegionCode
from infrashare.webhooks.models import DeliveryStatus

if TYPE_CHECKING:
    from infrashare.webhooks.models import WebhookSubscription

EVENT_TYPES: dict[str, str] = {
    "need.published": "A need was published on the needs list (filter by region and asset kind)",
    "request.received": "Your organisation received a sharing request",
    "request.state_changed": "A sharing request you are party to changed state",
    "agreement.state_changed": "An agreement you are party to changed state",
    "match.new": "A new match for one of your assets or needs",
    "ping": "A test delivery you asked for",
}


class SubscriptionCreate(BaseModel):
    url: AnyUrl
    events: list[str] = Field(min_length=1)
    region_codes: list[RegionCode] = Field(
        default_factory=list, description="Only events in these regions (and below); empty for all."
    )
    asset_kinds: list[str] = Field(
        default_factory=list, description="Only events about these kinds; empty for all."
    )

    @field_validator("events")
    @classmethod
    def known_events(cls, events: list[str]) -> list[str]:
        unknown = sorted(set(events) - set(EVENT_TYPES))
        if unknown:
            raise ValueError(f"unknown events: {', '.join(unknown)}")
        return sorted(set(events))

    @field_validator("url")
    @classmethod
    def https_or_loopback(cls, url: AnyUrl) -> AnyUrl:
        loopback = url.host in ("127.0.0.1", "localhost", "[::1]")
        if url.scheme != "https" and not (url.scheme == "http" and loopback):
            raise ValueError("must use https (http only on this machine's loopback)")
        return url


class SubscriptionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    url: str
    events: list[str]
    region_codes: list[str]
    asset_kinds: list[str]
    is_active: bool
    created_at: datetime


class SubscriptionCreated(SubscriptionRead):
    secret: str = Field(description="Verifies the X-InfraShare-Signature header. Shown once.")

    @classmethod
    def from_model(cls, subscription: WebhookSubscription) -> SubscriptionCreated:
        read = SubscriptionRead.model_validate(subscription).model_dump()
        return cls.model_validate({**read, "secret": subscription.secret})


class DeliveryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    event_type: str
    status: DeliveryStatus
    attempts: int
    last_status_code: int | None
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None


DeliveryPage = Page[DeliveryRead]
